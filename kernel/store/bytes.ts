/**
 * Byte counts as people write them: 4e9, "4GB", "512 MiB", "1.5 GiB".
 */
import { Errors } from "../errors";

const UNITS: Record<string, number> = {
  b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12,
  kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40,
  k: 1e3, m: 1e6, g: 1e9, t: 1e12,
};

/** Parses a byte count; `option` names the option in the error message. */
export function parseBytes(value: number | string, option = "size"): number {
  if (typeof value === "number") {
    if (Number.isFinite(value) && value > 0) return Math.floor(value);
    throw Errors.badOption(option, value, 'a positive number of bytes or a string like "4GB"');
  }
  const m = /^\s*([0-9]*\.?[0-9]+(?:e[0-9]+)?)\s*([a-z]*)\s*$/i.exec(String(value));
  const unit = m ? UNITS[(m[2] || "b").toLowerCase()] : undefined;
  if (!m || unit === undefined || !(Number(m[1]) > 0)) {
    throw Errors.badOption(option, value, 'a positive number of bytes or a string like "4GB", "512MiB"');
  }
  return Math.floor(Number(m[1]) * unit);
}

/** 1536 -> "1.5 KiB". */
export function formatBytes(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  let v = n;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${v} B` : `${v.toFixed(v >= 100 ? 0 : v >= 10 ? 1 : 2)} ${units[i]}`;
}
