/**
 * From a task's `Callable` to the function to call, in whichever thread runs
 * the task. Each resolution is cached for the life of the thread: modules are
 * loaded once, source text is compiled once per hash.
 */
import { Errors } from "../errors";
import { Callable } from "../graph";
import { getKernel } from "./registry";
import { globalFunction } from "./globals";
import { SOURCE_URL, localFunction } from "./callable";

const modules = new Map<string, Function>();
const compiled = new Map<string, Function>();

export interface ResolveOptions {
  /** Run the live function behind a source callable when this thread has it (sync scheduler). */
  preferLocal?: boolean;
}

export function resolveCallable(c: Callable, options: ResolveOptions = {}): Function {
  switch (c.kind) {
    case "builtin":
      return getKernel(c.name);
    case "global": {
      const fn = globalFunction(c.path);
      if (fn === undefined) throw Errors.notShippable(`global "${c.path}"`, "it is not a known global function", "use a function");
      return fn;
    }
    case "module":
      return loadModuleFunction(c.module, c.export);
    case "source": {
      if (options.preferLocal) {
        const local = localFunction(c);
        if (local !== undefined) return local;
      }
      let fn = compiled.get(c.hash);
      if (fn === undefined) {
        fn = compile(c.source, c.name, c.hash, c.captures ?? {});
        compiled.set(c.hash, fn);
      }
      return fn;
    }
  }
}

function compile(source: string, name: string, hash: string, captures: Readonly<Record<string, unknown>>): Function {
  const names = Object.keys(captures);
  let made: unknown;
  try {
    // The sourceURL names the function in stack traces (instead of "eval at compile"), so that
    // an error report can find its source again and point at the line (see SOURCE_URL).
    const body = `return (${source});\n//# sourceURL=${SOURCE_URL.of(name, hash)}`;
    made = new Function(...names, body)(...names.map((n) => captures[n]));
  } catch (e) {
    throw Errors.notShippable(`function ${name}`, `its source did not compile in the worker: ${(e as Error).message}`, "define it as a plain function");
  }
  if (typeof made !== "function") throw Errors.notShippable(`function ${name}`, "its source is not a function", "pass a function");
  return made as Function;
}

function loadModuleFunction(module: string, exportName: string): Function {
  const id = `${module}#${exportName}`;
  let fn = modules.get(id);
  if (fn === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(module) as Record<string, unknown>;
    const v = exportName === "default" && typeof mod === "function" ? mod : (mod[exportName] ?? (exportName === "default" ? mod : undefined));
    if (typeof v !== "function") {
      throw Errors.badOption(`module "${module}" export`, exportName, `the name of a function it exports (it exports: ${Object.keys(mod).join(", ") || "nothing"})`);
    }
    modules.set(id, (fn = v as Function));
  }
  return fn;
}
