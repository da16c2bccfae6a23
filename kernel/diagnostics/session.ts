/**
 * One dashboard client: its subscriptions, the nodes it expanded, and what
 * it is sent.
 *
 * Flow control: before each delta the session looks at how many bytes its
 * socket still buffers. Above `highWaterBytes` the client is "lagging": its
 * deltas are not sent, only remembered by stream; once the buffer is below
 * `lowWaterBytes` again it gets one fresh snapshot of each stream it missed
 * (and the pages of its expanded nodes) instead of the backlog. So a slow
 * client costs at most about highWaterBytes plus one snapshot of memory,
 * whatever the cluster does meanwhile.
 */
import {
  MAX_EXPAND_PAGE, PROTOCOL_VERSION, STREAMS, ServerMessage, ServerMessages, StreamName, encodeServer, parseClientMessage,
} from "../protocol";
import type { Limits } from "./limits";
import type { DashboardModel, Flush } from "./model";

/** What a session needs of a socket (ws's WebSocket has it; tests use a fake). */
export interface Transport {
  send(text: string): void;
  /** Bytes queued and not yet handed to the OS. */
  readonly bufferedAmount: number;
  close(code: number, reason: string): void;
}

export interface SessionStats {
  messages: number;
  bytes: number;
  /** Deltas not sent because the client was lagging. */
  skipped: number;
  /** Times the client fell behind, and got snapshots again. */
  lags: number;
  resyncs: number;
}

const DELIVERY_ORDER: readonly StreamName[] = ["workers", "memory", "task-stream", "collections"];

interface Expanded {
  runId: string;
  node: string;
  offset: number;
  limit: number;
}

export class Session {
  readonly stats: SessionStats = { messages: 0, bytes: 0, skipped: 0, lags: 0, resyncs: 0 };
  private readonly subscribed = new Set<StreamName>();
  private readonly expanded = new Map<string, Expanded>();
  private readonly missed = new Set<StreamName | "tasks">();
  private lag = false;
  /** Streams resent as snapshots by the last resync. */
  private fresh = new Set<StreamName | "tasks">();
  /** Last record seq this client has, per numbered stream. */
  private readonly seen = { "task-stream": -1, memory: -1 };

  constructor(
    private readonly transport: Transport,
    private readonly model: DashboardModel,
    private readonly limits: Limits,
    private readonly hooks: { lagging?: (s: Session) => void; resynced?: (s: Session) => void } = {},
  ) {
    this.send({ type: "hello", data: { protocol: PROTOCOL_VERSION, cluster: model.info, streams: [...STREAMS] } });
  }

  get lagging(): boolean {
    return this.lag;
  }

  /** Answers a request that could not be read. */
  refuse(reason: string): void {
    this.send({ type: "error", data: { code: "bad-message", message: `request refused: ${reason}` } });
  }

  /** Tells the client the server failed on its request. */
  fail(message: string): void {
    this.send({ type: "error", data: { code: "internal", message: message.slice(0, 16000) } });
  }

  /** A message from the client: checked, then acted on; a bad one gets an `error` naming what is wrong. */
  receive(text: string): void {
    const parsed = parseClientMessage(text);
    if (!parsed.ok) {
      this.refuse(parsed.reason);
      return;
    }
    const m = parsed.message;
    switch (m.type) {
      case "subscribe":
        for (const s of m.data.streams) {
          if (this.subscribed.has(s)) continue;
          this.subscribed.add(s);
          if (this.lag) this.missed.add(s);
          else this.sendSnapshot(s);
        }
        return;
      case "unsubscribe":
        for (const s of m.data.streams) this.subscribed.delete(s);
        return;
      case "expand": {
        const e: Expanded = { runId: m.data.runId, node: m.data.node, offset: m.data.offset ?? 0, limit: Math.min(m.data.limit ?? MAX_EXPAND_PAGE, MAX_EXPAND_PAGE) };
        if (this.sendPage(e, m.id)) {
          const id = `${e.runId}\u0000${e.node}`;
          if (!this.expanded.has(id)) this.model.graph.watch(e.runId, e.node);
          this.expanded.set(id, e);
        }
        return;
      }
      case "collapse": {
        const id = `${m.data.runId}\u0000${m.data.node}`;
        if (this.expanded.delete(id)) this.model.graph.unwatch(m.data.runId, m.data.node);
        return;
      }
    }
  }

  /** Sends this flush's deltas, or remembers what was missed while the client lags. */
  deliver(flush: Flush): void {
    if (this.checkLag()) {
      for (const s of this.subscribed) if (flush.streams[s] !== undefined) this.missed.add(s);
      if (flush.tasks.some((t) => this.expanded.has(`${t.runId}\u0000${t.node}`))) this.missed.add("tasks");
      this.stats.skipped++;
      return;
    }
    // Streams that just got a snapshot skip this flush's delta: the snapshot holds it.
    const fresh = this.fresh;
    this.fresh = new Set();
    const wants = (s: StreamName | "tasks") => !fresh.has(s) && (s === "tasks" || this.subscribed.has(s));
    // The graph goes last: a client that sees a run end has everything that happened before it ended.
    for (const s of DELIVERY_ORDER) {
      const msg = flush.streams[s];
      if (msg !== undefined && wants(s)) this.sendDelta(msg);
    }
    if (wants("tasks")) for (const t of flush.tasks) if (this.expanded.has(`${t.runId}\u0000${t.node}`)) this.send({ type: "tasks-delta", data: t });
    const graph = flush.streams.graph;
    if (graph !== undefined && wants("graph")) this.send(graph);
  }

  /** Ends the session's interest in the model. */
  close(): void {
    for (const e of this.expanded.values()) this.model.graph.unwatch(e.runId, e.node);
    this.expanded.clear();
    this.subscribed.clear();
  }

  /** True while the client lags; a client whose buffer drained gets its snapshots here. */
  checkLag(): boolean {
    const buffered = this.transport.bufferedAmount;
    if (!this.lag) {
      if (buffered <= this.limits.highWaterBytes) return false;
      this.lag = true;
      this.stats.lags++;
      this.hooks.lagging?.(this);
      return true;
    }
    if (buffered > this.limits.lowWaterBytes) return true;
    this.lag = false;
    this.stats.resyncs++;
    for (const s of this.missed) {
      if (s === "tasks") for (const e of this.expanded.values()) this.sendPage(e);
      else if (this.subscribed.has(s)) this.sendSnapshot(s);
    }
    this.fresh = new Set(this.missed);
    this.missed.clear();
    this.hooks.resynced?.(this);
    return false;
  }

  private sendSnapshot(s: StreamName): void {
    const msg = this.model.snapshot(s);
    if (s === "task-stream") this.seen["task-stream"] = this.model.stream.nextSeq - 1;
    if (s === "memory") this.seen.memory = this.model.workers.timeline.nextSeq - 1;
    this.send(msg);
  }

  private sendDelta(msg: ServerMessage): void {
    // Numbered records the client got in a snapshot already are left out.
    if (msg.type === "task-stream") {
      const records = msg.data.records.filter((r) => r.seq > this.seen["task-stream"]);
      if (records.length === 0) return;
      this.seen["task-stream"] = records[records.length - 1]!.seq;
      msg = { type: "task-stream", data: { ...msg.data, records } };
    } else if (msg.type === "memory") {
      const points = msg.data.points.filter((p) => p.seq > this.seen.memory);
      if (points.length === 0) return;
      this.seen.memory = points[points.length - 1]!.seq;
      msg = { type: "memory", data: { ...msg.data, points } };
    }
    this.send(msg);
  }

  private sendPage(e: Expanded, re?: number): boolean {
    const r = this.model.graph.expand(e.runId, e.node, e.offset, e.limit);
    if (r.ok) this.send({ type: "tasks", data: r.page }, re);
    else this.send({ type: "error", data: { code: r.code, message: r.message } }, re);
    return r.ok;
  }

  private send(msg: ServerMessage, re?: number): void {
    let text = encodeServer(msg.type, msg.data as ServerMessages[typeof msg.type], re);
    // UTF-16 length bounds UTF-8 bytes from below, three times it from above: count bytes only when it matters.
    if (text.length * 3 > this.limits.maxMessageBytes && Buffer.byteLength(text) > this.limits.maxMessageBytes) {
      // Every message is bounded by construction; one this big is a bug worth a clear report, not a stalled client.
      const message = `internal: a "${msg.type}" message of ${Buffer.byteLength(text)} bytes is over the ${this.limits.maxMessageBytes}-byte limit and was not sent`;
      process.emitWarning(`tessera dashboard: ${message}`);
      text = encodeServer("error", { code: "too-large", message }, re);
    }
    this.stats.messages++;
    this.stats.bytes += text.length;
    try {
      this.transport.send(text);
    } catch {
      // The socket is closing; the server drops the session on "close".
    }
  }
}
