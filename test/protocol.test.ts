import { test } from "node:test";
import assert from "node:assert/strict";
import {
  CHUNK_STATES, ClientMessages, PROTOCOL_VERSION, STREAMS, ServerMessages, encodeClient, encodeServer, parseClientMessage, parseRuntimeFile, parseServerMessage,
} from "../kernel/protocol";

const counts = { waiting: 1, processing: 2, memory: 3, spilled: 0, erred: 0, released: 4 };
const run: ServerMessages["graph"]["runs"][number] = {
  runId: "r1", scheduler: "threads", status: "erred", start: 1.5, end: 9.25, ntasks: 10, grouped: false, edgesTruncated: false,
  nodes: [
    { name: "x-1f", op: "x", layers: 1, ntasks: 4, dependencies: [], collection: "array", chunks: [[2, 2], [5]], counts },
    { name: "sum-2a", op: "sum", layers: 1, ntasks: 1, dependencies: ["x-1f"], npartitions: 1, counts },
  ],
  error: { name: "TaskError", message: "boom", code: "TESSERA_TASK_FAILED", stack: "at f (cell 3)" },
};

/** One valid payload of every server message type. */
const SERVER: { [K in keyof ServerMessages]: ServerMessages[K] } = {
  hello: { protocol: PROTOCOL_VERSION, cluster: { id: "c", kind: "LocalCluster", pid: 42, startTime: 1, scheduler: "threads", workers: 2, memoryLimit: 1e9, thresholds: { target: 0.6, spill: 0.7, pause: 0.8 } }, streams: [...STREAMS] },
  workers: {
    t: 2,
    workers: [{ id: "thread-1", kind: "thread", threads: 1, memoryLimit: 5e8, managed: 10, unmanaged: 20, spilled: 30, processing: 1, tasksRun: 7, lastSeen: 1.25 }],
    store: { t: 2, memoryLimit: 1e9, managed: 10, unmanaged: 99, spilled: 30, spilledTotal: 60, chunks: 3, paused: false },
  },
  memory: { snapshot: true, points: [{ seq: 0, t: 1, managed: 1, unmanaged: 2, spilled: 3 }] },
  graph: { runs: [run] },
  "graph-delta": { added: [run], updated: [{ runId: "r0", status: "done", end: 3, nodes: [{ name: "x-1f", counts }] }], removed: ["r-old"] },
  tasks: { runId: "r1", node: "x-1f", offset: 0, total: 4, tasks: [{ key: '["x-1f",0,0]', state: "released", dependencies: [], worker: "thread-1", start: 1, stop: 2, nbytes: 8, fusedInto: '["y-3c",0,0]' }] },
  "tasks-delta": { runId: "r1", node: "x-1f", tasks: [{ key: '["x-1f",0,1]', state: "erred", error: { name: "RangeError", message: "bad" } }] },
  "task-stream": { snapshot: false, records: [{ seq: 5, worker: "thread-2", key: "inc-1", op: "inc", start: 1, stop: 1.5, nbytes: 8, status: "memory" }], dropped: 3 },
  collections: {
    workers: ["thread-1"],
    collections: [{
      id: "abc-4", name: "x", kind: "array", layer: "x-1f", source: "user", t: 5, nchunks: 4, chunks: [[2, 2], [5]], shape: [4, 5], dtype: "float64",
      counts: { none: 1, waiting: 0, processing: 0, memory: 2, spilled: 1, released: 0, erred: 0 }, placement: { states: "mmsn", workers: [0, 0, 0, -1] },
    }, {
      id: "def-3", name: "ddf", kind: "dataframe", layer: "read-9", source: "persist", t: 6, nchunks: 3, npartitions: 3, divisions: [0, "m", 10.5, null],
      counts: { none: 3, waiting: 0, processing: 0, memory: 0, spilled: 0, released: 0, erred: 0 },
    }],
  },
  error: { code: "unknown-node", message: "no node" },
};

const CLIENT: { [K in keyof ClientMessages]: ClientMessages[K] } = {
  subscribe: { streams: ["graph", "workers"] },
  unsubscribe: { streams: ["memory"] },
  expand: { runId: "r1", node: "x-1f", offset: 10, limit: 100 },
  collapse: { runId: "r1", node: "x-1f" },
};

test("every server message survives encode -> parse unchanged", () => {
  for (const [type, data] of Object.entries(SERVER) as [keyof ServerMessages, never][]) {
    const parsed = parseServerMessage(encodeServer(type, data, 7));
    assert.ok(parsed.ok, `${type}: ${!parsed.ok && parsed.reason}`);
    assert.deepEqual(parsed.message, { type, data, re: 7 });
  }
});

test("every client request survives encode -> parse unchanged", () => {
  for (const [type, data] of Object.entries(CLIENT) as [keyof ClientMessages, never][]) {
    const parsed = parseClientMessage(encodeClient(type, data, 3));
    assert.ok(parsed.ok, `${type}: ${!parsed.ok && parsed.reason}`);
    assert.deepEqual(parsed.message, { type, data, id: 3 });
    assert.deepEqual(parseClientMessage(encodeClient(type, data)), { ok: true, message: { type, data } });
  }
});

function rejects(result: { ok: boolean; reason?: string }, pattern: RegExp): void {
  assert.equal(result.ok, false, "the message should have been refused");
  assert.match(result.reason!, pattern);
}

test("malformed client requests are refused with a reason that names the field", () => {
  rejects(parseClientMessage("{not json"), /message is not JSON/);
  rejects(parseClientMessage(42 as unknown as string), /must be JSON text, got number/);
  rejects(parseClientMessage("[1,2]"), /must be an object \{ type, data \}, got \[1,2\]/);
  rejects(parseClientMessage('{"type":"shutdown","data":{}}'), /message type "shutdown" is unknown \(known: subscribe, unsubscribe, expand, collapse\)/);
  rejects(parseClientMessage('{"data":{}}'), /message type nothing is unknown/);
  rejects(parseClientMessage('{"type":"subscribe"}'), /subscribe\.data is missing/);
  rejects(parseClientMessage('{"type":"subscribe","data":{"streams":["graph","gossip"]}}'), /subscribe\.data\.streams\[1\] must be one of "workers", "memory", "graph", "task-stream", "collections", got "gossip"/);
  rejects(parseClientMessage('{"type":"subscribe","data":{"streams":"graph"}}'), /subscribe\.data\.streams must be an array, got "graph"/);
  rejects(parseClientMessage(`{"type":"subscribe","data":{"streams":${JSON.stringify(Array(6).fill("graph"))}}}`), /has 6 items, more than 5/);
  rejects(parseClientMessage('{"type":"expand","data":{"runId":"r","node":"n","limit":0}}'), /expand\.data\.limit must be an integer from 1 to 5000, got 0/);
  rejects(parseClientMessage('{"type":"expand","data":{"runId":"r","node":"n","offset":-1}}'), /expand\.data\.offset must be an integer from 0/);
  rejects(parseClientMessage('{"type":"expand","data":{"runId":"r","node":"n","offset":1.5}}'), /offset must be an integer/);
  rejects(parseClientMessage('{"type":"expand","data":{"runId":7,"node":"n"}}'), /expand\.data\.runId must be a string, got 7/);
  rejects(parseClientMessage('{"type":"expand","data":{"runId":"r","node":"n","admin":true}}'), /expand\.data has an unknown field "admin" \(expected: runId, node, offset, limit\)/);
  rejects(parseClientMessage(`{"type":"collapse","data":{"runId":"r","node":"${"n".repeat(2000)}"}}`), /collapse\.data\.node is longer than 1024 characters/);
  rejects(parseClientMessage('{"type":"collapse","data":{"runId":"r","node":"n"},"id":"x"}'), /collapse\.id must be an integer/);
  rejects(parseClientMessage('{"type":"collapse","data":{"runId":"r","node":"n"},"extra":1}'), /collapse has an unknown field "extra"/);
  rejects(parseClientMessage(" ".repeat(70_000)), /larger than 65536/);
});

test("malformed server messages are refused too, so a client never trusts one", () => {
  const bad = (type: string, data: unknown) => parseServerMessage(JSON.stringify({ type, data }));
  rejects(bad("workers", { ...SERVER.workers, workers: [{ ...SERVER.workers.workers[0], managed: -1 }] }), /workers\.data\.workers\[0\]\.managed must be an integer from 0/);
  rejects(bad("workers", { ...SERVER.workers, workers: [{ ...SERVER.workers.workers[0], kind: "gpu" }] }), /kind must be one of "thread", "process", "main", got "gpu"/);
  rejects(bad("graph", { runs: [{ ...run, status: "paused" }] }), /graph\.data\.runs\[0\]\.status must be one of "running", "done", "erred", "cancelled"/);
  rejects(bad("graph", { runs: [{ ...run, nodes: [{ ...run.nodes[0], counts: { ...counts, waiting: 0.5 } }] }] }), /nodes\[0\]\.counts\.waiting must be an integer/);
  rejects(bad("graph", { runs: [{ ...run, start: "yesterday" }] }), /graph\.data\.runs\[0\]\.start must be a finite number, got "yesterday"/);
  rejects(bad("task-stream", { snapshot: "yes", records: [], dropped: 0 }), /task-stream\.data\.snapshot must be true or false, got "yes"/);
  rejects(bad("collections", { workers: [], collections: [{ ...SERVER.collections.collections[1], divisions: [{}] }] }), /divisions\[0\] must be a string, a number or null/);
  rejects(bad("collections", { workers: [], collections: [{ ...SERVER.collections.collections[0], placement: { states: "m", workers: [-2] } }] }), /placement\.workers\[0\] must be an integer from -1/);
  rejects(bad("hello", { ...SERVER.hello, cluster: { ...SERVER.hello.cluster, memoryLimit: Infinity } }), /hello\.data\.cluster\.memoryLimit must be an integer/);
  rejects(bad("tasks", { ...SERVER.tasks, tasks: [{ key: "k", state: "lost", dependencies: [] }] }), /tasks\.data\.tasks\[0\]\.state must be one of "waiting", "processing", "memory", "spilled", "erred", "released", got "lost"/);
  rejects(parseServerMessage(JSON.stringify({ type: "error", data: SERVER.error, re: -1 })), /error\.re must be an integer from 0/);
});

test("runtime files are checked before anyone connects to what they name", () => {
  const good = { url: "http://127.0.0.1:1234/?token=ab", token: "ab", pid: 77, startTime: 1.5, protocol: PROTOCOL_VERSION };
  assert.deepEqual(parseRuntimeFile(JSON.stringify(good)), { ok: true, message: good });
  rejects(parseRuntimeFile("{"), /not JSON/);
  rejects(parseRuntimeFile(JSON.stringify({ ...good, pid: 0 })), /runtime file\.pid must be an integer from 1/);
  rejects(parseRuntimeFile(JSON.stringify({ url: good.url })), /runtime file\.token is missing/);
});

test("chunk state letters cover every state a chunk can be in", () => {
  assert.deepEqual(Object.values(CHUNK_STATES), ["not computed", "waiting", "processing", "memory", "spilled", "released", "erred"]);
});
