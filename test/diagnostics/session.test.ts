/**
 * A slow client: its socket's buffer grows, it stops getting deltas (nothing
 * queues for it), and once the buffer drains it gets fresh snapshots that
 * equal the engine's state. The transport is a stand-in whose bufferedAmount
 * the test controls, as ws's WebSocket reports it for a client that does not read.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { Runtime, compute, delayed } from "../../kernel";
import { DEFAULT_LIMITS, DashboardModel, Limits, Session, Transport } from "../../kernel/diagnostics";
import { ServerMessage, parseServerMessage } from "../../kernel/protocol";

class StuckSocket implements Transport {
  readonly sent: ServerMessage[] = [];
  bufferedAmount = 0;
  /** While stuck, every byte sent stays buffered, as with a client that stopped reading. */
  stuck = false;
  send(text: string): void {
    const parsed = parseServerMessage(text);
    assert.ok(parsed.ok, !parsed.ok ? parsed.reason : "");
    this.sent.push(parsed.message);
    if (this.stuck) this.bufferedAmount += Buffer.byteLength(text);
  }
  close(): void {}
}

const rt = new Runtime({ workers: 1, scheduler: "sync" });
after(() => rt.close());

const inc = delayed(function inc(x: number) {
  return x + 1;
});

test("a client that stops reading is dropped back to snapshots instead of buffering without bound", async () => {
  const limits: Limits = { ...DEFAULT_LIMITS, highWaterBytes: 4096, lowWaterBytes: 1024 };
  const model = new DashboardModel(rt, limits, "Runtime");
  const socket = new StuckSocket();
  const lags: Session[] = [];
  const resyncs: Session[] = [];
  const session = new Session(socket, model, limits, { lagging: (s) => lags.push(s), resynced: (s) => resyncs.push(s) });
  try {
    session.receive(JSON.stringify({ type: "subscribe", data: { streams: ["graph", "task-stream", "workers"] } }));
    assert.deepEqual(socket.sent.map((m) => m.type), ["hello", "graph", "task-stream", "workers"]);

    socket.stuck = true;
    let round = 0;
    // Keep computing until the client lags, then 20 runs more.
    for (let more = 20; more > 0; round++) {
      await compute(Array.from({ length: 50 }, (_, i) => inc(round * 1000 + i)), { cluster: { runtime: rt } });
      session.deliver(model.flush());
      if (session.lagging) more--;
      assert.ok(round < 200, "the client never lagged");
    }
    assert.equal(lags.length, 1);
    const sentWhileLagging = socket.sent.length;
    const buffered = socket.bufferedAmount;
    // Nothing more was sent after the buffer passed the high-water mark, however much happened.
    assert.ok(buffered <= limits.highWaterBytes + limits.maxMessageBytes, `${buffered} bytes buffered`);
    for (let i = 0; i < 5; i++) {
      await compute([inc(-i - 1)], { cluster: { runtime: rt } });
      session.deliver(model.flush());
    }
    assert.equal(socket.sent.length, sentWhileLagging);
    assert.equal(socket.bufferedAmount, buffered);
    assert.ok(session.stats.skipped >= 25);

    // The client reads again: the next flush sends one snapshot per stream it missed, equal to the engine's state.
    socket.stuck = false;
    socket.bufferedAmount = 0;
    session.deliver(model.flush());
    assert.equal(resyncs.length, 1);
    const after = socket.sent.slice(sentWhileLagging);
    const graph = after.find((m) => m.type === "graph");
    assert.ok(graph !== undefined && graph.type === "graph");
    assert.deepEqual(graph.data.runs, model.graph.snapshot());
    const stream = after.find((m) => m.type === "task-stream");
    assert.ok(stream !== undefined && stream.type === "task-stream" && stream.data.snapshot);
    assert.equal(stream.data.records[stream.data.records.length - 1]!.seq, model.stream.nextSeq - 1, "the snapshot ends with the newest record");
    assert.ok(after.some((m) => m.type === "workers"));
    assert.ok(!after.some((m) => m.type === "graph-delta"), "no stale deltas after the snapshot");

    // Back to deltas.
    await compute([inc(5000)], { cluster: { runtime: rt } });
    const before = socket.sent.length;
    session.deliver(model.flush());
    const next = socket.sent.slice(before).map((m) => m.type);
    assert.ok(next.includes("graph-delta") && next.includes("task-stream"), next.join(","));
    const records = socket.sent.slice(before).find((m) => m.type === "task-stream");
    assert.ok(records?.type === "task-stream" && !records.data.snapshot && records.data.records.every((r) => r.seq > stream.data.records.at(-1)!.seq), "no record twice");
  } finally {
    session.close();
    model.dispose();
  }
});

test("a client lagging while nothing happens still gets its snapshot once it drains", async () => {
  const limits: Limits = { ...DEFAULT_LIMITS, highWaterBytes: 10, lowWaterBytes: 5 };
  const model = new DashboardModel(rt, limits, "Runtime");
  const socket = new StuckSocket();
  const session = new Session(socket, model, limits);
  try {
    socket.stuck = true;
    session.receive(JSON.stringify({ type: "subscribe", data: { streams: ["graph"] } }));
    await compute([inc(7000)], { cluster: { runtime: rt } });
    session.deliver(model.flush());
    assert.equal(session.lagging, true);
    socket.bufferedAmount = 0;
    // No new event: the server polls lagging clients (checkLag) on its timer.
    assert.equal(session.checkLag(), false);
    const last = socket.sent[socket.sent.length - 1]!;
    assert.equal(last.type, "graph");
  } finally {
    session.close();
    model.dispose();
  }
});
