/**
 * `tessera kernel …`: install, uninstall and list the Jupyter kernelspec,
 * and start the kernel (the command the kernelspec runs).
 */
import { Command, InvalidArgumentError } from "commander";
import { DISPLAY_NAME, KernelspecError, SpecTarget, installSpec, kernelSpec, listSpecs, uninstallSpec } from "../notebook/kernelspec";

interface TargetFlags {
  user?: boolean;
  prefix?: string;
}

/** --user or --prefix DIR (default: --user); both is an error. */
function target(flags: TargetFlags): SpecTarget {
  if (flags.user && flags.prefix !== undefined) {
    throw new KernelspecError(`--user and --prefix ${flags.prefix} name two places: pass one of them`);
  }
  return flags.prefix !== undefined ? { prefix: flags.prefix } : { user: true };
}

function nonEmpty(option: string) {
  return (value: string) => {
    if (value.trim() === "") throw new InvalidArgumentError(`${option} needs a folder, got an empty string`);
    return value;
  };
}

/**
 * @example program.addCommand(kernelCommand("/app/node_modules/tessera", console.log))
 */
export function kernelCommand(root: string, out: (line: string) => void): Command {
  const kernel = new Command("kernel").description(`the Jupyter kernel "${DISPLAY_NAME}"`);

  kernel
    .command("install")
    .description("install the kernelspec so Jupyter, VS Code and nbconvert can start the kernel")
    .option("--user", "in your Jupyter data folder (the default)")
    .option("--prefix <dir>", "in DIR/share/jupyter/kernels (a Python environment's prefix)", nonEmpty("--prefix"))
    .action((flags: TargetFlags) => {
      const dir = installSpec(target(flags), root);
      out(`Installed the kernelspec "tessera" (${DISPLAY_NAME}) in ${dir}`);
      out(`It runs: ${kernelSpec(root).argv.join(" ")}`);
    });

  kernel
    .command("uninstall")
    .description("remove the kernelspec")
    .option("--user", "from your Jupyter data folder (the default)")
    .option("--prefix <dir>", "from DIR/share/jupyter/kernels", nonEmpty("--prefix"))
    .action((flags: TargetFlags) => {
      out(`Removed the kernelspec in ${uninstallSpec(target(flags))}`);
    });

  kernel
    .command("list")
    .description("list the tessera kernelspecs Jupyter finds (the first one is used)")
    .option("--prefix <dir>", "also look in DIR/share/jupyter/kernels", nonEmpty("--prefix"))
    .action((flags: TargetFlags) => {
      const found = listSpecs(process.env, flags.prefix !== undefined ? [flags.prefix] : []);
      if (found.length === 0) {
        out("No tessera kernelspec found. Install one with: npx tessera kernel install");
        return;
      }
      for (const f of found) {
        const runs = f.spec?.argv.slice(0, 2).join(" ") ?? f.problem;
        out(`tessera  ${f.dir}  (${runs})`);
      }
    });

  kernel
    .command("start")
    .description("run the kernel (Jupyter does this, with the connection file it wrote)")
    .requiredOption("--connection-file <file>", "the connection file Jupyter passes as {connection_file}")
    .action(async (flags: { connectionFile: string }) => {
      // Loaded here: tslab and TypeScript take a second to load, and only this subcommand needs them.
      const { startKernel } = await import("../notebook/kernel");
      await startKernel({ connectionFile: flags.connectionFile, root });
    });

  return kernel;
}
