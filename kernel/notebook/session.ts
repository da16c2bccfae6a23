/**
 * The kernel's state around the cell that runs: its output channel, its
 * interrupt signal, its progress displays, what it printed as its value, and
 * what went wrong. tslab runs one cell at a time (its execute queue), and
 * `begin` / `end` bracket exactly that run.
 *
 * State: `current` is the running cell or undefined between cells. Output for
 * a cell is sent only while it is current (see progress.ts for why).
 */
import { LocalCluster } from "../cluster";
import { DISPLAY_SINK } from "../diagnostics/display";
import type { Runtime } from "../schedule";
import { onRuntimeChange } from "../schedule";
import { setSourceTransform } from "../worker/callable";
import { CellRegistry, withScriptName } from "./cells";
import { fixShorthands, unexportReferences } from "./cross-cell";
import { bundleOf } from "./display";
import { JupyterError, diagnosticsReport, errorReport } from "./error-report";
import { Interrupts } from "./interrupt";
import { NotebookProgress } from "./progress";
import type { CellConsole, Converter, Executor, TslabDiagnostic, WriteDisplayData } from "./tslab";

/** How the kernel talks to the client about one execute_request. */
export interface CellChannel {
  /** Sends an iopub message whose parent is this request. */
  publish(msgType: string, content: Record<string, unknown>): void;
  writeDisplay: WriteDisplayData;
}

interface Cell {
  count: number;
  source: string;
  channel: CellChannel;
  errors: unknown[];
  diagnostics: TslabDiagnostic[] | undefined;
  result: unknown;
  startedCluster: Runtime | undefined;
}

export interface SessionOptions {
  /** Folders whose stack frames are internal (engine, tslab). */
  internalDirs: readonly string[];
  /** Kernel-side warnings (they go to the kernel's stderr, not to a cell). */
  warn: (msg: string) => void;
}

export class KernelSession {
  readonly cells = new CellRegistry();
  readonly interrupts = new Interrupts();
  readonly progress = new NotebookProgress();
  private current: Cell | undefined;
  private lastChannel: CellChannel | undefined;
  private readonly offChange: () => void;
  /** Names earlier cells declared (tslab's `exports`), once the executor exists. */
  private earlierNames: () => ReadonlySet<string> = () => new Set();

  /** What tslab's executor prints through: a cell's value, a cell's failure. */
  readonly console: CellConsole = {
    log: (value) => this.onValue(value),
    error: (...args) => this.onError(args),
  };

  constructor(private readonly options: SessionOptions) {
    this.interrupts.install();
    setSourceTransform(unexportReferences);
    (globalThis as Record<symbol, unknown>)[DISPLAY_SINK] = (value: unknown) => this.display(value);
    this.offChange = onRuntimeChange((rt) => {
      if (this.current !== undefined && rt !== undefined) this.current.startedCluster = rt;
    });
  }

  /** Runs cells under their own script name (`In[n]`) so that stack frames name the cell. */
  wrapExecutor(executor: Executor): void {
    const locals = executor.locals;
    this.earlierNames = () => new Set(Object.keys(locals));
    const execute = executor.execute;
    executor.execute = (src: string) => {
      const cell = this.current;
      return cell === undefined ? execute(src) : withScriptName(CellRegistry.filename(cell.count), () => execute(src));
    };
  }

  /** Records each cell's compiled code (for source maps) and its TypeScript diagnostics. */
  wrapConverter(converter: Converter): Converter {
    const convert = converter.convert;
    converter.convert = (prevDecl: string, src: string) => {
      const r = convert(prevDecl, src);
      if (r.output !== undefined) r.output = fixShorthands(r.output, this.earlierNames());
      const cell = this.current;
      if (cell !== undefined) {
        if (r.diagnostics.length > 0) cell.diagnostics = r.diagnostics;
        else if (r.output !== undefined) this.cells.record(cell.count, src, r.output);
      }
      return r;
    };
    return converter;
  }

  begin(count: number, source: string, channel: CellChannel): void {
    this.current = { count, source, channel, errors: [], diagnostics: undefined, result: undefined, startedCluster: undefined };
    this.lastChannel = channel;
    this.interrupts.cellStarted();
    channel.publish("execute_input", { code: source, execution_count: count });
    this.progress.cellStarted({
      display: (bundle, id) => channel.writeDisplay({ data: bundle, metadata: {}, transient: { display_id: id } }, false),
      update: (bundle, id) => channel.writeDisplay({ data: bundle, metadata: {}, transient: { display_id: id } }, true),
    });
  }

  /** Ends the running cell; for a failed one, sends and returns its error. */
  end(ok: boolean): JupyterError | undefined {
    const cell = this.current;
    if (cell === undefined) return undefined;
    this.progress.cellEnded(this.interrupts.interrupted);
    this.announceCluster(cell);
    this.interrupts.cellEnded();
    this.current = undefined;
    if (ok) return undefined;
    const report = cell.diagnostics !== undefined
      ? diagnosticsReport(cell.diagnostics, cell.count, cell.source)
      : cell.errors.length > 0
        ? errorReport(cell.errors[0], this.cells, this.options)
        : { ename: "Error", evalue: "the cell failed", traceback: ["Error: the cell failed"] };
    cell.channel.publish("error", { ...report });
    return report;
  }

  /** Shows a value now, in the running cell (the public `display()`). */
  display(value: unknown): void {
    const channel = this.current?.channel ?? this.lastChannel;
    if (channel === undefined) return void console.log(bundleOf(value)["text/plain"]);
    this.progress.flush();
    channel.writeDisplay({ data: bundleOf(value, this.options.warn), metadata: {}, transient: {} }, false);
  }

  close(): void {
    this.progress.close();
    this.offChange();
  }

  private onValue(value: unknown): void {
    const cell = this.current;
    if (cell === undefined) return void console.log(value);
    cell.result = value;
    this.progress.flush(); // a run's final state comes before the value it computed
    cell.channel.publish("execute_result", { execution_count: cell.count, data: bundleOf(value, this.options.warn), metadata: {} });
  }

  private onError(args: unknown[]): void {
    const cell = this.current;
    // tslab prints TypeScript diagnostics with a format string; the cell's were captured from the converter.
    const isDiagnostic = typeof args[0] === "string" && args[0].startsWith("%s%d:%d");
    if (cell !== undefined) {
      if (!isDiagnostic) return void cell.errors.push(args[0]);
      if (cell.diagnostics !== undefined) return;
    }
    console.error(...args);
  }

  /** A cell that started a LocalCluster shows it (with its dashboard link), unless it is the cell's value. */
  private announceCluster(cell: Cell): void {
    const rt = cell.startedCluster;
    if (rt === undefined || rt.isClosed) return;
    const cluster = LocalCluster.forRuntime(rt);
    if (cluster === undefined || cell.result === cluster) return;
    cell.channel.writeDisplay({ data: bundleOf(cluster, this.options.warn), metadata: {}, transient: {} }, false);
  }
}
