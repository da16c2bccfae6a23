/**
 * /metrics: the cluster in Prometheus text format (version 0.0.4), for
 * scrapers and for a quick look with curl. Names follow Dask's
 * (`dask_scheduler_tasks{state}` -> `tessera_tasks{state}`).
 */
import { TASK_STATES } from "../protocol";
import type { DashboardModel } from "./model";

function label(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

/** The metrics text for a dashboard's model, read at the time of the request. */
export function renderMetrics(model: DashboardModel): string {
  const lines: string[] = [];
  const metric = (name: string, type: "gauge" | "counter", help: string, rows: [Record<string, string>, number][]) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of rows) {
      const l = Object.entries(labels).map(([k, v]) => `${k}="${label(v)}"`).join(",");
      lines.push(`${name}${l === "" ? "" : `{${l}}`} ${value}`);
    }
  };
  const totals = model.graph.stateTotals();
  const workers = model.workers.list();
  const store = model.storeState();
  metric("tessera_tasks", "gauge", "Tasks of the runs the dashboard keeps, by state (each key once, in its newest run).",
    TASK_STATES.map((s) => [{ state: s }, totals[s]]));
  metric("tessera_workers", "gauge", "Workers listed (live threads, and gone ones still holding chunks).", [[{}, workers.length]]);
  metric("tessera_worker_memory_bytes", "gauge", "Memory per worker: managed (its chunks in memory), unmanaged (its isolate's heap and buffers), spilled (its chunks on disk).",
    workers.flatMap((w) => [[{ worker: w.id, type: "managed" }, w.managed], [{ worker: w.id, type: "unmanaged" }, w.unmanaged], [{ worker: w.id, type: "spilled" }, w.spilled]] as [Record<string, string>, number][]));
  metric("tessera_worker_tasks_processing", "gauge", "Tasks running or queued on each worker.", workers.map((w) => [{ worker: w.id }, w.processing]));
  metric("tessera_tasks_run_total", "counter", "Tasks each worker finished (in memory or erred) since the dashboard started.", workers.map((w) => [{ worker: w.id }, w.tasksRun]));
  metric("tessera_memory_limit_bytes", "gauge", "The chunk store's memory limit.", [[{}, store.memoryLimit]]);
  metric("tessera_store_bytes", "gauge", "The chunk store's memory: managed (chunks in memory), unmanaged (process memory it does not account for), spilled (chunks on disk).",
    [[{ type: "managed" }, store.managed], [{ type: "unmanaged" }, store.unmanaged], [{ type: "spilled" }, store.spilled]]);
  metric("tessera_store_chunks", "gauge", "Chunks in the store.", [[{}, store.chunks]]);
  metric("tessera_spilled_bytes_total", "counter", "Bytes written to disk since the cluster started.", [[{}, store.spilledTotal]]);
  metric("tessera_store_paused", "gauge", "1 while new root tasks are held back (memory above the pause threshold).", [[{}, store.paused ? 1 : 0]]);
  return `${lines.join("\n")}\n`;
}
