/**
 * The one place that touches tslab's internals (its `dist/*.js` modules,
 * which are not public API). tslab is pinned to TSLAB_VERSION in
 * package.json; `loadTslab()` checks the version and that every internal the
 * kernel uses is still there, and fails with a message naming what is
 * missing rather than misbehaving after an upgrade. test/notebook/tslab.test.ts
 * covers each hook.
 *
 * Load order matters: the TypeScript hooks (typescript-host.ts) must be in
 * place before tslab's converter module is first required, because the
 * converter captures the `ts` module object when it loads.
 */
import * as path from "node:path";
import Module from "node:module";
import { installTypeScriptHooks, TypeScriptHooks } from "./typescript-host";

export const TSLAB_VERSION = "1.0.22";

export interface TslabPosition {
  offset: number;
  line: number;
  character: number;
}

export interface TslabDiagnostic {
  start: TslabPosition;
  end: TslabPosition;
  messageText: string;
  category: number;
  code: number;
  /** Set for diagnostics in another file than the cell. */
  fileName?: string;
}

export interface ConvertResult {
  output?: string;
  declOutput?: string;
  diagnostics: TslabDiagnostic[];
  hasToplevelAwait?: boolean;
  lastExpressionVar?: string;
}

export interface Converter {
  convert(prevDecl: string, src: string): ConvertResult;
  close(): void;
}

export interface ConverterSet {
  readonly node: Converter;
  readonly browser: Converter;
  close(): void;
}

/** What the executor prints through: `log` gets a cell's last value, `error` its failure. */
export interface CellConsole {
  log(value: unknown): void;
  error(...args: unknown[]): void;
}

export interface Executor {
  /** The variables cells declared (tslab's `exports` object). */
  locals: object;
  execute(src: string): Promise<boolean>;
  interrupt(): void;
  close(): void;
}

export interface DisplayMessage {
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  transient: Record<string, unknown>;
}

/** tslab's per-request display writer: display_data, or update_display_data when `update`. */
export type WriteDisplayData = (data: DisplayMessage, update: boolean) => void;
export type WriteStream = (name: "stdout" | "stderr", text: string) => void;

export interface ZmqMessage {
  identity: Buffer[];
  header: { msg_id: string; msg_type: string; session: string; username: string; [k: string]: unknown };
  parent: Record<string, unknown>;
  metadata: Record<string, unknown>;
  content: Record<string, unknown>;
  createReply(): ZmqMessage;
  signAndSend(key: string, socket: unknown): void;
}

export interface HandlerBase {
  execCount: number;
  executor: Executor;
  execQueue: { reset(delay?: number): void };
  handleExecute(req: Record<string, unknown>, writeStream: WriteStream, writeDisplayData: WriteDisplayData): Promise<{ status: string; execution_count?: number }>;
  handleExecuteImpl(req: Record<string, unknown>, writeStream: WriteStream, writeDisplayData: WriteDisplayData): Promise<unknown>;
  close(): void;
}

export interface ServerBase {
  connInfo: { key: string; [k: string]: unknown };
  iopub: unknown;
  handler: HandlerBase;
  handleShellMessage(socket: unknown, ...frames: Buffer[]): Promise<void>;
  handleExecute(socket: unknown, msg: ZmqMessage): Promise<void>;
  init(): Promise<void>;
  close(): void;
}

export interface Tslab {
  version: string;
  createConverter(options: { isJS: boolean; isBrowser: boolean }): Converter;
  createExecutor(rootDir: string, converters: ConverterSet, console: CellConsole): Executor;
  /** `lastWriteDisplayData` is a live binding: read it through this object, never copy it. */
  jupyter: {
    ZmqServer: new (handler: HandlerBase, configPath: string) => ServerBase;
    JupyterHandlerImpl: new (executor: Executor, isJs: boolean) => HandlerBase;
    readonly lastWriteDisplayData: WriteDisplayData | null;
  };
}

/** The tslab internals the kernel relies on: [module, export, prototype method or undefined]. */
const REQUIRED: [string, string, string | undefined][] = [
  ["converter", "createConverter", undefined],
  ["executor", "createExecutor", undefined],
  ["jupyter", "ZmqServer", "handleShellMessage"],
  ["jupyter", "ZmqServer", "handleExecute"],
  ["jupyter", "ZmqServer", "init"],
  ["jupyter", "ZmqServer", "close"],
  ["jupyter", "JupyterHandlerImpl", "handleExecute"],
  ["jupyter", "JupyterHandlerImpl", "handleExecuteImpl"],
];

export class TslabMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TslabMismatchError";
  }
}

let loaded: Tslab | undefined;

/**
 * Loads tslab with the kernel's TypeScript hooks installed, once per process.
 * Throws TslabMismatchError when an internal the kernel uses is missing;
 * warns through `warn` when the version differs from the pinned one.
 * @example const tslab = loadTslab({ typeRoots: [], resolveFallback: () => undefined }, console.error)
 */
export function loadTslab(hooks: TypeScriptHooks, warn: (msg: string) => void = () => {}): Tslab {
  if (loaded !== undefined) return loaded;
  const dir = tslabDir();
  const req = Module.createRequire(path.join(dir, "dist", "main.js"));
  const version = (req("../package.json") as { version: string }).version;
  if (version !== TSLAB_VERSION) {
    warn(`tessera: the kernel is built for tslab ${TSLAB_VERSION} but found ${version} in ${dir}; reinstall with "npm install tslab@${TSLAB_VERSION}"`);
  }
  installTypeScriptHooks(req, hooks);
  const modules: Record<string, Record<string, unknown>> = {
    converter: req("./converter") as Record<string, unknown>,
    executor: req("./executor") as Record<string, unknown>,
    jupyter: req("./jupyter") as Record<string, unknown>,
  };
  const missing = REQUIRED.filter(([mod, name, method]) => {
    const v = modules[mod]![name];
    if (typeof v !== "function") return true;
    return method !== undefined && typeof (v.prototype as Record<string, unknown> | undefined)?.[method] !== "function";
  }).map(([mod, name, method]) => `dist/${mod}.js ${name}${method ? `.prototype.${method}` : ""}`);
  if (!("lastWriteDisplayData" in modules.jupyter!)) missing.push("dist/jupyter.js lastWriteDisplayData");
  if (missing.length > 0) {
    throw new TslabMismatchError(
      `tslab ${version} (${dir}) lacks internals the Tessera kernel uses: ${missing.join(", ")}. ` +
        `Install the version the kernel is built for: npm install tslab@${TSLAB_VERSION}`,
    );
  }
  loaded = {
    version,
    createConverter: modules.converter!["createConverter"] as Tslab["createConverter"],
    createExecutor: modules.executor!["createExecutor"] as Tslab["createExecutor"],
    jupyter: modules.jupyter as unknown as Tslab["jupyter"],
  };
  return loaded;
}

/** The folder of the tslab package the kernel uses (its own dependency). */
export function tslabDir(): string {
  return path.dirname(require.resolve("tslab/package.json"));
}
