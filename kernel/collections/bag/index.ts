export { Bag, KeyFn } from "./bag";
export { WithCaptures, withCaptures, UserFn, layerBag } from "./build";
export { PartitionOptions, concat, fromDelayed, fromSequence, range } from "./create";
export { PluckKey } from "./elementwise";
export { ReductionOptions } from "./reductions";
export { SampleOptions, TakeOptions, sample } from "./reshape";
export { ToTextFilesOptions } from "./output";
export { ArrowMeta } from "./arrow";
