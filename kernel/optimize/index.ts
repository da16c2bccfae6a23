/**
 * Pure Graph -> Graph passes, run on every computation before scheduling.
 */
export { cull } from "./cull";
export { fuseLinear, FuseOptions } from "./fuse";
export { order } from "./order";
export { fuseBlockwise, registerBlockwiseCombiner, BlockwiseCombiner } from "./blockwise";
export { LayerPass, registerLayerPass, optimizeLayers } from "./layers";
