/**
 * The `tessera` command. Each subcommand lives in its own file and is added
 * here; `tessera kernel …` manages and starts the notebook kernel, and a
 * `tessera worker …` (distributed workers) will sit beside it.
 *
 *   tessera kernel install [--user | --prefix DIR]
 *   tessera kernel uninstall [--user | --prefix DIR]
 *   tessera kernel list [--prefix DIR]
 *   tessera kernel start --connection-file FILE      (what Jupyter runs)
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Command, CommanderError } from "commander";
import { kernelCommand } from "./kernel-command";

/** The engine's package folder (bin/, dist/, package.json). */
export const PACKAGE_ROOT = path.resolve(__dirname, "..", "..", "..");

/**
 * The program with every subcommand; `out` receives normal output.
 * @example await buildProgram().parseAsync(["node", "tessera", "kernel", "list"])
 */
export function buildProgram(out: (line: string) => void = (l) => console.log(l)): Command {
  const version = (JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string }).version;
  const program = new Command("tessera")
    .description("Tessera: lazy, chunked, parallel collections for TypeScript notebooks")
    .version(version)
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  program.addCommand(kernelCommand(PACKAGE_ROOT, out));
  // Subcommands inherit how errors end the program: we decide the exit code (main below).
  for (const c of program.commands) c.exitOverride().showHelpAfterError("(run with --help for usage)");
  return program;
}

/**
 * Runs the command line; resolves with the exit code. Errors a user can fix
 * print as one line with the fix, never as a stack trace.
 */
export async function main(argv: readonly string[] = process.argv): Promise<number> {
  try {
    await buildProgram().parseAsync([...argv]);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode; // commander printed the message (or help/version)
    console.error(`tessera: ${(e as Error)?.message ?? e}`);
    return 1;
  }
}
