/**
 * How a LocalCluster shows in a notebook: workers, memory, chunks, and the
 * dashboard link — Dask's cluster widget, as a table.
 */
import { MimeBundle, escapeHtml, infoTable } from "../collections/repr";
import { formatBytes } from "../store/bytes";

export interface ClusterInfo {
  workers: number;
  memoryLimit: number;
  managed: number;
  spilled: number;
  closed: boolean;
  /** The dashboard's address, once a dashboard serves this cluster. */
  dashboardLink?: string | undefined;
}

/**
 * @example clusterBundle({ workers: 2, memoryLimit: 2e9, managed: 0, spilled: 0, closed: false })["text/plain"]
 */
export function clusterBundle(c: ClusterInfo): MimeBundle {
  const rows: [string, string][] = [
    ["workers", `${c.workers} thread${c.workers === 1 ? "" : "s"}`],
    ["memory limit", formatBytes(c.memoryLimit)],
    ["chunks in memory", formatBytes(c.managed)],
    ["chunks spilled", formatBytes(c.spilled)],
    ["status", c.closed ? "closed" : "running"],
  ];
  const link = c.dashboardLink;
  const text = `LocalCluster(workers=${c.workers}, memoryLimit=${formatBytes(c.memoryLimit)}, managed=${formatBytes(c.managed)}, spilled=${formatBytes(c.spilled)}${c.closed ? ", closed" : ""})`;
  const dash = link === undefined ? "" : `<p>Dashboard: <a href="${escapeHtml(link)}" target="_blank">${escapeHtml(link)}</a></p>`;
  return {
    "text/plain": link === undefined ? text : `${text}\nDashboard: ${link}`,
    "text/html": infoTable("LocalCluster", rows) + dash,
  };
}
