export { Delayed, DelayedFunction, DelayedOptions, MaybeDelayed, delayed, delayedModule } from "./delayed";
