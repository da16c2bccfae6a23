/**
 * A dashboard client for tests, as the extension will be one: it checks
 * every message with the protocol's own guard (a bad one fails the test),
 * keeps a log with sizes and arrival times, and mirrors the streams into
 * local state by applying snapshots and deltas — so tests compare what a
 * client ends up believing with the engine's own state.
 */
import * as os from "node:os";
import * as fs from "node:fs";
import * as path from "node:path";
import WebSocket from "ws";
import type { DashboardServer } from "../../kernel/diagnostics";
import {
  ClientMessages, CollectionInfo, RunGraph, ServerMessage, StoreState, TaskRecord, WorkerState, encodeClient, parseServerMessage,
} from "../../kernel/protocol";

export interface Received {
  message: ServerMessage;
  bytes: number;
  at: number;
}

export class TestClient {
  readonly log: Received[] = [];
  readonly problems: string[] = [];
  readonly runs = new Map<string, RunGraph>();
  workers: WorkerState[] = [];
  store: StoreState | undefined;
  records: TaskRecord[] = [];
  collections: CollectionInfo[] = [];
  collectionWorkers: string[] = [];
  private waiters: { match: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void }[] = [];
  private nextId = 1;

  private constructor(readonly ws: WebSocket) {
    ws.on("message", (data) => {
      const text = data.toString();
      const parsed = parseServerMessage(text);
      if (!parsed.ok) {
        this.problems.push(parsed.reason);
        return;
      }
      const m = parsed.message;
      this.log.push({ message: m, bytes: Buffer.byteLength(text), at: performance.now() });
      this.apply(m);
      this.waiters = this.waiters.filter((w) => {
        if (!w.match(m)) return true;
        w.resolve(m);
        return false;
      });
    });
  }

  static async connect(server: DashboardServer, streams: ClientMessages["subscribe"]["streams"] = []): Promise<TestClient> {
    const ws = new WebSocket(`${server.url.replace("http", "ws")}ws?token=${server.token}`);
    const client = new TestClient(ws);
    const hello = client.next((m) => m.type === "hello");
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    await hello;
    if (streams.length > 0) {
      const snapshots = streams.map((s) => client.next((m) => snapshotOf(m) === s));
      client.send("subscribe", { streams });
      await Promise.all(snapshots);
    }
    return client;
  }

  send<K extends keyof ClientMessages>(type: K, data: ClientMessages[K]): number {
    const id = this.nextId++;
    this.ws.send(encodeClient(type, data, id));
    return id;
  }

  /** The next message (from now on) that `match` accepts. */
  next<T extends ServerMessage = ServerMessage>(match: (m: ServerMessage) => boolean): Promise<T> {
    return new Promise((resolve) => this.waiters.push({ match, resolve: resolve as (m: ServerMessage) => void }));
  }

  /** Resolves once `pred` holds for this client's mirror (checked now, then after every message). */
  async until(pred: () => boolean): Promise<void> {
    if (!pred()) await this.next(() => pred());
  }

  /** Sends a request and resolves with the reply that names it. */
  async request<K extends keyof ClientMessages>(type: K, data: ClientMessages[K]): Promise<ServerMessage> {
    const id = this.nextId;
    const reply = this.next((m) => (m as { re?: number }).re === id);
    this.send(type, data);
    return reply;
  }

  /** Resolves once a run with this id reached a final status in this client's mirror. */
  async runEnded(runId: string): Promise<RunGraph> {
    await this.until(() => (this.runs.get(runId)?.status ?? "running") !== "running");
    return this.runs.get(runId)!;
  }

  /** The id of the newest run this client knows, once there is one newer than `after` (a start time). */
  async newRun(after: number): Promise<RunGraph> {
    const newest = () => [...this.runs.values()].filter((r) => r.start > after).sort((a, b) => b.start - a.start)[0];
    await this.until(() => newest() !== undefined);
    return newest()!;
  }

  close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once("close", () => resolve());
      this.ws.close();
    });
  }

  private apply(m: ServerMessage): void {
    switch (m.type) {
      case "workers":
        this.workers = m.data.workers;
        this.store = m.data.store;
        return;
      case "graph":
        this.runs.clear();
        for (const r of m.data.runs) this.runs.set(r.runId, r);
        return;
      case "graph-delta":
        for (const id of m.data.removed) this.runs.delete(id);
        for (const r of m.data.added) this.runs.set(r.runId, r);
        for (const u of m.data.updated) {
          const r = this.runs.get(u.runId);
          if (r === undefined) {
            this.problems.push(`update for unknown run ${u.runId}`);
            continue;
          }
          r.status = u.status;
          if (u.end !== undefined) r.end = u.end;
          if (u.error !== undefined) r.error = u.error;
          for (const n of u.nodes) {
            const node = r.nodes.find((x) => x.name === n.name);
            if (node === undefined) this.problems.push(`update for unknown node ${n.name}`);
            else node.counts = n.counts;
          }
        }
        return;
      case "task-stream": {
        if (m.data.snapshot) this.records = [];
        const last = this.records.length === 0 ? -1 : this.records[this.records.length - 1]!.seq;
        for (const r of m.data.records) {
          if (r.seq <= last && !m.data.snapshot) this.problems.push(`task-stream record ${r.seq} sent twice`);
          this.records.push(r);
        }
        return;
      }
      case "collections":
        this.collections = m.data.collections;
        this.collectionWorkers = m.data.workers;
        return;
      default:
        return;
    }
  }
}

/** The stream a snapshot message belongs to, if it is one. */
export function snapshotOf(m: ServerMessage): string | undefined {
  switch (m.type) {
    case "workers":
    case "graph":
    case "collections":
      return m.type;
    case "memory":
    case "task-stream":
      return m.data.snapshot ? m.type : undefined;
    default:
      return undefined;
  }
}

/** A fresh folder for runtime files, removed after the test file. */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
