/**
 * msgpackr, loaded without its native string extractor (msgpackr-extract).
 *
 * Why: partitions are packed with bundled strings, so the extractor has
 * little to do, and measured on W4 records it made unpacking slower (150-220
 * ms against 100-130 ms in plain JS for a 16 MB partition); worse, the
 * newest extractor published for every platform (3.0.4, pinned in
 * package.json so that `npm ci` works) crashes the process on buffers over
 * shared memory, which is where partitions live. msgpackr reads this
 * variable once, when it is loaded; every thread loads this module first.
 */
process.env["MSGPACKR_NATIVE_ACCELERATION_DISABLED"] = "true";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const msgpackr = require("msgpackr") as typeof import("msgpackr");

export const Packr = msgpackr.Packr;
