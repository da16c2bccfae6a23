/**
 * The dashboard protocol: the ONE map from message name to payload, shared by
 * the dashboard server (kernel/diagnostics), the VS Code extension host and
 * the webviews, versioned by PROTOCOL_VERSION.
 *
 * Every message is JSON text, an envelope `{ type, data }`:
 *   server -> client  ServerMessages[type], with `re` = the id of the request it answers;
 *   client -> server  ClientMessages[type], with an optional `id` the reply repeats.
 * A connection starts with `hello`; the client then `subscribe`s to streams
 * and gets, per stream, a snapshot and then coalesced deltas (at most about
 * ten messages a second per stream). A client that falls behind gets a fresh
 * snapshot instead of the deltas it missed, so snapshots can come at any time.
 *
 * Each shape is written once, as a schema: its TypeScript type is inferred
 * from it and its guard comes with it, so the two cannot drift. A message is
 * validated where it enters a process (`parseClientMessage`,
 * `parseServerMessage`, `parseRuntimeFile`) and a bad one is rejected with a
 * reason that names the field, never trusted.
 *
 * This file imports nothing (no node: modules, no DOM, no other kernel
 * file): webviews and the status page load it as it is.
 */

/** Bumped on any incompatible change of a message below. */
export const PROTOCOL_VERSION = 1;

// ---------------------------------------------------------------------------
// Schemas: a few combinators, each a guard that returns a reason or undefined.

export interface Schema<T> {
  /** undefined when `v` is a T; otherwise why not, naming the field by `path`. */
  readonly check: (v: unknown, path: string) => string | undefined;
  readonly optional?: true;
  /** Type carrier only; never set. */
  readonly __type?: T;
}
export type Infer<S> = S extends Schema<infer T> ? T : never;
type Shape = Record<string, Schema<unknown>>;
type Flat<T> = { [K in keyof T]: T[K] } & {};
type InferObject<S extends Shape> = Flat<
  { [K in keyof S as S[K] extends { optional: true } ? never : K]: Infer<S[K]> } & {
    [K in keyof S as S[K] extends { optional: true } ? K : never]?: Infer<S[K]>;
  }
>;

function show(v: unknown): string {
  if (v === undefined) return "nothing";
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > 60 ? `${s.slice(0, 59)}…` : s;
}

const MAX_STRING = 4096;

function str(max = MAX_STRING): Schema<string> {
  return { check: (v, p) => (typeof v !== "string" ? `${p} must be a string, got ${show(v)}` : v.length > max ? `${p} is longer than ${max} characters` : undefined) };
}
const num: Schema<number> = { check: (v, p) => (typeof v === "number" && Number.isFinite(v) ? undefined : `${p} must be a finite number, got ${show(v)}`) };
function int(min = 0, max = Number.MAX_SAFE_INTEGER): Schema<number> {
  return { check: (v, p) => (Number.isInteger(v) && (v as number) >= min && (v as number) <= max ? undefined : `${p} must be an integer from ${min} to ${max}, got ${show(v)}`) };
}
const bool: Schema<boolean> = { check: (v, p) => (typeof v === "boolean" ? undefined : `${p} must be true or false, got ${show(v)}`) };
function oneOf<const T extends readonly string[]>(...values: T): Schema<T[number]> {
  return { check: (v, p) => (values.includes(v as string) ? undefined : `${p} must be one of ${values.map((x) => `"${x}"`).join(", ")}, got ${show(v)}`) };
}
function arr<T>(item: Schema<T>, max = 1_000_000): Schema<T[]> {
  return {
    check(v, p) {
      if (!Array.isArray(v)) return `${p} must be an array, got ${show(v)}`;
      if (v.length > max) return `${p} has ${v.length} items, more than ${max}`;
      for (let i = 0; i < v.length; i++) {
        const r = item.check(v[i], `${p}[${i}]`);
        if (r !== undefined) return r;
      }
      return undefined;
    },
  };
}
function opt<T>(s: Schema<T>): Schema<T> & { readonly optional: true } {
  return { check: s.check, optional: true };
}
/** A string, a number or null (DataFrame divisions). */
const scalar: Schema<string | number | null> = {
  check: (v, p) => (v === null || typeof v === "string" || (typeof v === "number" && Number.isFinite(v)) ? undefined : `${p} must be a string, a number or null, got ${show(v)}`),
};
/** Strict objects: a field the schema does not name is an error (the version says what a message holds). */
function obj<S extends Shape>(shape: S): Schema<InferObject<S>> {
  const names = Object.keys(shape);
  return {
    check(v, p) {
      if (v === null || typeof v !== "object" || Array.isArray(v)) return `${p} must be an object, got ${show(v)}`;
      const o = v as Record<string, unknown>;
      for (const k of Object.keys(o)) if (!Object.prototype.hasOwnProperty.call(shape, k)) return `${p} has an unknown field "${k}" (expected: ${names.join(", ")})`;
      for (const k of names) {
        const s = shape[k]!;
        if (o[k] === undefined) {
          if (s.optional) continue;
          return `${p}.${k} is missing`;
        }
        const r = s.check(o[k], `${p}.${k}`);
        if (r !== undefined) return r;
      }
      return undefined;
    },
  };
}

// ---------------------------------------------------------------------------
// Shapes

const key = str();
const bytes = int();
const count = int();
/** Epoch milliseconds, sub-millisecond precision. */
const time = num;

export const TASK_STATES = ["waiting", "processing", "memory", "spilled", "erred", "released"] as const;
export type TaskState = (typeof TASK_STATES)[number];
const taskState = oneOf(...TASK_STATES);

export const STREAMS = ["workers", "memory", "graph", "task-stream", "collections"] as const;
/** What a client can subscribe to; each stream sends a snapshot, then deltas. */
export type StreamName = (typeof STREAMS)[number];

const ErrorInfo = obj({ name: str(), message: str(16384), code: opt(str()), stack: opt(str(65536)) });
export type ErrorInfo = Infer<typeof ErrorInfo>;

const ClusterInfo = obj({
  /** Random id of this cluster (stable while it runs). */
  id: str(),
  kind: oneOf("LocalCluster", "Runtime"),
  pid: int(),
  startTime: time,
  /** Scheduler used when a computation names none. */
  scheduler: str(),
  /** Worker threads of the pool. */
  workers: count,
  /** The chunk store's limit, shared by all workers. */
  memoryLimit: bytes,
  /** Fractions of memoryLimit: spill least-recently-used chunks, spill on process memory, pause new work. */
  thresholds: obj({ target: num, spill: num, pause: num }),
});
export type ClusterInfo = Infer<typeof ClusterInfo>;

const WorkerState = obj({
  id: str(),
  kind: oneOf("thread", "process", "main"),
  threads: count,
  /** This worker's share of the cluster's memory limit (one store serves every thread). */
  memoryLimit: bytes,
  /** Bytes of chunks this worker produced that are in memory. */
  managed: bytes,
  /** Memory the worker's isolate holds outside the store: V8 heap plus its own ArrayBuffers. */
  unmanaged: bytes,
  /** Bytes of chunks this worker produced that are on disk. */
  spilled: bytes,
  /** Tasks running or queued on this worker now. */
  processing: count,
  /** Tasks this worker finished (memory or erred) since the dashboard started. */
  tasksRun: count,
  /** Time of the last news from this worker. */
  lastSeen: time,
});
export type WorkerState = Infer<typeof WorkerState>;

const StoreState = obj({
  t: time,
  memoryLimit: bytes,
  managed: bytes,
  /** Process memory the store does not account for (RSS growth minus managed). */
  unmanaged: bytes,
  spilled: bytes,
  /** Bytes written to disk since the cluster started. */
  spilledTotal: bytes,
  /** Chunks in the store. */
  chunks: count,
  /** New root tasks are held back (memory above the pause threshold). */
  paused: bool,
});
export type StoreState = Infer<typeof StoreState>;

const MemoryPoint = obj({ seq: count, t: time, managed: bytes, unmanaged: bytes, spilled: bytes });
export type MemoryPoint = Infer<typeof MemoryPoint>;

const StateCounts = obj({ waiting: count, processing: count, memory: count, spilled: count, erred: count, released: count });
/** Tasks of a node (or a run) in each state; done = memory + spilled + released. */
export type StateCounts = Infer<typeof StateCounts>;

const GraphNode = obj({
  /** A layer's name, or `group:<op>` when a run's many layers are grouped by operation. */
  name: key,
  op: str(),
  /** Layers in this node (1 unless grouped). */
  layers: count,
  /** Tasks of this node in this run, fused ones included. */
  ntasks: count,
  /** Names of the nodes this one reads from. */
  dependencies: arr(key),
  /** From the layer's meta: "array" | "dataframe" | "bag" | "delayed" | … */
  collection: opt(str()),
  /** Array layers: chunk sizes per dimension. */
  chunks: opt(arr(arr(int()))),
  /** DataFrame / Bag layers: number of partitions. */
  npartitions: opt(count),
  counts: StateCounts,
});
export type GraphNode = Infer<typeof GraphNode>;

const runStatus = oneOf("running", "done", "erred", "cancelled");
const RunGraph = obj({
  runId: str(),
  scheduler: str(),
  status: runStatus,
  start: time,
  end: opt(time),
  ntasks: count,
  /** True when the run had too many layers to draw one by one and nodes are groups by operation. */
  grouped: bool,
  /** True when edges were left out to keep the message small. */
  edgesTruncated: bool,
  nodes: arr(GraphNode),
  error: opt(ErrorInfo),
});
export type RunGraph = Infer<typeof RunGraph>;

const RunUpdate = obj({
  runId: str(),
  status: runStatus,
  end: opt(time),
  error: opt(ErrorInfo),
  /** Nodes whose counts changed, with their new counts. */
  nodes: arr(obj({ name: key, counts: StateCounts })),
});
export type RunUpdate = Infer<typeof RunUpdate>;

const TaskInfo = obj({
  key,
  state: taskState,
  /** Keys this task reads. */
  dependencies: arr(key),
  worker: opt(str()),
  start: opt(time),
  stop: opt(time),
  nbytes: opt(bytes),
  /** For a task fused into another: the key it runs inside. */
  fusedInto: opt(key),
  error: opt(ErrorInfo),
});
export type TaskInfo = Infer<typeof TaskInfo>;

const TaskChange = obj({ key, state: taskState, worker: opt(str()), start: opt(time), stop: opt(time), nbytes: opt(bytes), error: opt(ErrorInfo) });
export type TaskChange = Infer<typeof TaskChange>;

const TaskRecord = obj({
  /** Increases by one per record: a client drops records it already has. */
  seq: count,
  /** The worker thread that ran the task. */
  worker: str(),
  key,
  /** The key's label ("inc", "sum-aggregate"). */
  op: str(),
  start: time,
  stop: time,
  nbytes: opt(bytes),
  status: oneOf("memory", "erred"),
});
export type TaskRecord = Infer<typeof TaskRecord>;

export const CHUNK_STATES = {
  n: "not computed",
  w: "waiting",
  p: "processing",
  m: "memory",
  s: "spilled",
  r: "released",
  e: "erred",
} as const;
/** One letter per chunk in `CollectionInfo.placement.states`. */
export type ChunkStateCode = keyof typeof CHUNK_STATES;

const ChunkCounts = obj({ none: count, waiting: count, processing: count, memory: count, spilled: count, released: count, erred: count });
export type ChunkCounts = Infer<typeof ChunkCounts>;

const CollectionInfo = obj({
  id: str(),
  /** The notebook variable, or a label made from the output layer ("mean-1f3a…"). */
  name: str(),
  kind: str(),
  /** The output layer. */
  layer: key,
  /** How it got here: "user" (registerCollection), "compute" or "persist". */
  source: oneOf("user", "compute", "persist"),
  t: time,
  nchunks: count,
  /** Arrays: chunk sizes per dimension (row-major chunk order). */
  chunks: opt(arr(arr(int()))),
  shape: opt(arr(int())),
  dtype: opt(str()),
  /** DataFrames / Bags: partitions and, when known, the npartitions + 1 divisions. */
  npartitions: opt(count),
  divisions: opt(arr(scalar)),
  counts: ChunkCounts,
  /**
   * Where each chunk lives, in output-key order: `states` has one ChunkStateCode
   * letter per chunk, `workers` the index in the message's `workers` list of the
   * worker that holds (or produced) it, -1 for none. Absent for collections with
   * more chunks than a message carries (counts only).
   */
  placement: opt(obj({ states: str(1 << 20), workers: arr(int(-1)) })),
});
export type CollectionInfo = Infer<typeof CollectionInfo>;

// ---------------------------------------------------------------------------
// The message maps

const serverSchemas = {
  /** First message of every connection. */
  hello: obj({ protocol: int(), cluster: ClusterInfo, streams: arr(oneOf(...STREAMS)) }),
  /** Stream "workers": the whole worker table (it is small), whenever it changed. */
  workers: obj({ t: time, workers: arr(WorkerState), store: StoreState }),
  /** Stream "memory": the cluster's memory timeline (bounded history), then new points. */
  memory: obj({ snapshot: bool, points: arr(MemoryPoint) }),
  /** Stream "graph": recent runs with their layer graphs and per-node state counts. */
  graph: obj({ runs: arr(RunGraph) }),
  /** Stream "graph": runs that started, changed or were forgotten since the last message. */
  "graph-delta": obj({ added: arr(RunGraph), updated: arr(RunUpdate), removed: arr(str()) }),
  /** Reply to `expand`: one page of a node's tasks. */
  tasks: obj({ runId: str(), node: key, offset: count, total: count, tasks: arr(TaskInfo) }),
  /** Changes of tasks in expanded nodes. */
  "tasks-delta": obj({ runId: str(), node: key, tasks: arr(TaskChange) }),
  /** Stream "task-stream": recent task records, then new ones; `dropped` counts records left out. */
  "task-stream": obj({ snapshot: bool, records: arr(TaskRecord), dropped: count }),
  /** Stream "collections": collections computed, persisted or registered recently, newest first. */
  collections: obj({ workers: arr(str()), collections: arr(CollectionInfo) }),
  /** A request was refused, or something went wrong on the server. */
  error: obj({ code: oneOf("bad-message", "unknown-run", "unknown-node", "too-large", "internal"), message: str(16384) }),
};

const clientSchemas = {
  subscribe: obj({ streams: arr(oneOf(...STREAMS), STREAMS.length) }),
  unsubscribe: obj({ streams: arr(oneOf(...STREAMS), STREAMS.length) }),
  /** Asks for a node's tasks (a page of at most MAX_EXPAND_PAGE), and their changes until `collapse`. */
  expand: obj({ runId: str(256), node: str(1024), offset: opt(int()), limit: opt(int(1, 5000)) }),
  collapse: obj({ runId: str(256), node: str(1024) }),
};

/** Largest page of tasks one `expand` returns. */
export const MAX_EXPAND_PAGE = 5000;

export type ServerMessages = { [K in keyof typeof serverSchemas]: Infer<(typeof serverSchemas)[K]> };
export type ClientMessages = { [K in keyof typeof clientSchemas]: Infer<(typeof clientSchemas)[K]> };
export type ServerMessage = { [K in keyof ServerMessages]: { type: K; data: ServerMessages[K]; re?: number } }[keyof ServerMessages];
export type ClientMessage = { [K in keyof ClientMessages]: { type: K; data: ClientMessages[K]; id?: number } }[keyof ClientMessages];

export type Parsed<T> = { ok: true; message: T } | { ok: false; reason: string };

function parseEnvelope<T>(text: unknown, schemas: Shape, idField: "re" | "id", maxChars: number): Parsed<T> {
  if (typeof text !== "string") return { ok: false, reason: `a message must be JSON text, got ${typeof text}` };
  if (text.length > maxChars) return { ok: false, reason: `message of ${text.length} characters is larger than ${maxChars}` };
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return { ok: false, reason: `message is not JSON (${(e as Error).message}): ${show(text)}` };
  }
  if (v === null || typeof v !== "object" || Array.isArray(v)) return { ok: false, reason: `message must be an object { type, data }, got ${show(v)}` };
  const m = v as Record<string, unknown>;
  const type = m.type;
  if (typeof type !== "string" || !Object.prototype.hasOwnProperty.call(schemas, type)) {
    return { ok: false, reason: `message type ${show(type)} is unknown (known: ${Object.keys(schemas).join(", ")})` };
  }
  const envelope = obj({ type: str(), data: schemas[type]!, [idField]: opt(int()) });
  const r = envelope.check(m, type);
  return r === undefined ? { ok: true, message: m as T } : { ok: false, reason: r };
}

/**
 * Checks a client's request (the server calls it on every message it receives).
 * @example const r = parseClientMessage(text); if (!r.ok) reply("bad-message", r.reason)
 */
export function parseClientMessage(text: unknown): Parsed<ClientMessage> {
  return parseEnvelope<ClientMessage>(text, clientSchemas, "id", 65536);
}

/**
 * Checks a server message (the extension and the status page call it on every message they receive).
 * @example ws.onmessage = (e) => { const r = parseServerMessage(e.data); if (r.ok) apply(r.message) }
 */
export function parseServerMessage(text: unknown): Parsed<ServerMessage> {
  return parseEnvelope<ServerMessage>(text, serverSchemas, "re", 64 * 1024 * 1024);
}

/**
 * The JSON text of a server message.
 * @example ws.send(encodeServer("error", { code: "unknown-node", message }, request.id))
 */
export function encodeServer<K extends keyof ServerMessages>(type: K, data: ServerMessages[K], re?: number): string {
  return JSON.stringify(re === undefined ? { type, data } : { type, data, re });
}

/**
 * The JSON text of a client request.
 * @example ws.send(encodeClient("subscribe", { streams: ["workers", "graph"] }))
 */
export function encodeClient<K extends keyof ClientMessages>(type: K, data: ClientMessages[K], id?: number): string {
  return JSON.stringify(id === undefined ? { type, data } : { type, data, id });
}

// ---------------------------------------------------------------------------
// Discovery

const RuntimeFile = obj({
  /** The dashboard's URL, with ?token= (as LocalCluster's dashboardLink). */
  url: str(),
  token: str(256),
  pid: int(1),
  startTime: time,
  protocol: int(),
});
/** What `<user runtime dir>/tessera/<pid>.json` holds for each running dashboard. */
export type RuntimeFile = Infer<typeof RuntimeFile>;

/**
 * Checks the content of a runtime file.
 * @example const r = parseRuntimeFile(fs.readFileSync(file, "utf8")); if (r.ok) connect(r.message.url)
 */
export function parseRuntimeFile(text: unknown): Parsed<RuntimeFile> {
  if (typeof text !== "string") return { ok: false, reason: "a runtime file must be JSON text" };
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return { ok: false, reason: `not JSON (${(e as Error).message})` };
  }
  const r = RuntimeFile.check(v, "runtime file");
  return r === undefined ? { ok: true, message: v as RuntimeFile } : { ok: false, reason: r };
}
