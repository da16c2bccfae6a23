/**
 * Starts the Tessera kernel: tslab's TypeScript kernel (cells, top-level
 * await, completion) plus the engine's notebook support — rich display,
 * live progress, interrupt -> cancel, errors mapped to cells, imports from
 * any folder. Launched by Jupyter through the kernelspec
 * (`tessera kernel start --connection-file {connection_file}`).
 *
 * What it replaces of tslab's own `startKernel`: the console the executor
 * prints through (session.ts), the converter (to record source maps), the
 * server and handler (server.ts); and it leaves out tslab's search for
 * another tslab in the notebook's folder, which would bypass all of this.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { peekRuntime } from "../schedule";
import { installRuntimeResolution, kernelPaths } from "./resolution";
import { serverClasses } from "./server";
import { KernelSession } from "./session";
import { Converter, ConverterSet, loadTslab, tslabDir } from "./tslab";

export interface KernelOptions {
  connectionFile: string;
  /** The engine's package folder (default: the one this file belongs to). */
  root?: string;
}

/** How long shutdown waits for the cluster to close before exiting anyway. */
const CLOSE_TIMEOUT_MS = 2000;

/**
 * Starts the kernel on a Jupyter connection file; resolves once its sockets listen.
 * @example await startKernel({ connectionFile: "/run/user/1000/jupyter/kernel-1.json" })
 */
export async function startKernel(options: KernelOptions): Promise<void> {
  const file = options.connectionFile;
  if (!fs.existsSync(file)) throw new Error(`connection file ${JSON.stringify(file)} does not exist (Jupyter writes it and passes its path as {connection_file})`);
  const paths = kernelPaths(options.root ?? path.resolve(__dirname, "..", "..", ".."));
  const warn = (msg: string) => void process.stderr.write(`${msg}\n`);
  const session = new KernelSession({ internalDirs: [path.join(paths.root, "dist"), tslabDir(), path.join(paths.root, "node_modules")], warn });
  installRuntimeResolution(paths);
  const tslab = loadTslab(
    {
      typeRoots: paths.typeRoots,
      modulesDirs: paths.moduleDirs,
      fallbackFrom: path.join(paths.root, "package.json"),
      aliases: { tessera: paths.engineTypes },
      onTranspile: (esm, cjs, map) => session.cells.onTranspile(esm, cjs, map),
    },
    warn,
  );

  let node: Converter | undefined, browser: Converter | undefined;
  const converters: ConverterSet = {
    get node() {
      return (node ??= session.wrapConverter(tslab.createConverter({ isJS: false, isBrowser: false })));
    },
    get browser() {
      return (browser ??= tslab.createConverter({ isJS: false, isBrowser: true })); // `//%browser` cells
    },
    close() {
      node?.close();
      browser?.close();
    },
  };
  void converters.node; // TypeScript warms up here (~1 s), not in the first cell
  const executor = tslab.createExecutor(process.cwd(), converters, session.console);
  session.wrapExecutor(executor);

  const interrupt = () => {
    session.interrupts.interrupt(warn);
    executor.interrupt(); // rejects the cell's awaited promise: the cell ends now
  };
  const { Server, Handler } = serverClasses(tslab, session, {
    interrupt,
    shutdown: () => void shutdown(session),
    kernelInfo: () => kernelInfo(paths.root, tslab.version),
  });
  process.on("SIGINT", interrupt); // interrupt_mode "signal", Jupyter's default
  process.on("SIGTERM", () => void shutdown(session));
  // A cell's stray error must never take the kernel down; it goes to the running cell's stderr.
  process.on("uncaughtException", (err) => console.error("Uncaught exception (in a callback of an earlier cell?):", err));
  process.on("unhandledRejection", (reason) => console.error("Unhandled promise rejection (a promise no cell awaited):", reason));
  await new Server(new Handler(executor, false), file).init();
}

let shuttingDown = false;

/**
 * Stops everything this kernel started and exits: the cluster (threads,
 * chunks, spill files), then the processes cells spawned. Jupyter starts a
 * kernel as the leader of its own process group, so those are in it.
 */
async function shutdown(session: KernelSession): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  session.close();
  const rt = peekRuntime();
  if (rt !== undefined) await Promise.race([rt.close().catch(() => {}), new Promise((r) => setTimeout(r, CLOSE_TIMEOUT_MS).unref())]);
  process.on("SIGTERM", () => {}); // the signal below reaches us too: we exit with 0 instead
  try {
    process.kill(-process.pid, "SIGTERM");
  } catch {
    // ESRCH / EPERM: we do not lead a process group
  }
  // Let the last replies leave the sockets.
  setTimeout(() => process.exit(0), 100);
}

function kernelInfo(root: string, tslabVersion: string): Record<string, unknown> {
  let version = "0.0.0";
  try {
    version = (JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { version: string }).version;
  } catch {
    // a broken install still answers kernel_info
  }
  return {
    status: "ok",
    protocol_version: "5.3",
    implementation: "tessera",
    implementation_version: version,
    language_info: {
      name: "typescript",
      version: "5.0",
      mimetype: "text/typescript",
      file_extension: ".ts",
      codemirror_mode: { mode: "typescript", name: "javascript", typescript: true },
    },
    banner: `Tessera ${version} (TypeScript, on tslab ${tslabVersion} and Node ${process.version})`,
  };
}
