/**
 * Every bound the dashboard keeps, in one place: what it remembers, how
 * often it sends, how big a message may get, and when a client counts as
 * slow. A server takes its own copy (tests shrink them).
 */
export interface Limits {
  /** Largest message sent; a bigger one is a bug, replaced by an `error` message. */
  maxMessageBytes: number;
  /** Deltas of one stream go out at most this often (coalescing). */
  flushIntervalMs: number;
  /** Runs whose graphs are kept (older finished runs are forgotten). */
  maxRuns: number;
  /** Tasks tracked over all kept runs before older runs are forgotten. */
  maxTrackedTasks: number;
  /** Beyond this many layers a run's graph is drawn as groups of layers by operation. */
  maxNodesPerRun: number;
  /** Beyond this many edges a run's graph is grouped too, then edges are cut. */
  maxEdgesPerRun: number;
  /** Task-stream records kept, and sent at most per message. */
  taskStreamHistory: number;
  taskStreamPerMessage: number;
  /** Memory timeline points kept (one per store sample, every 500 ms). */
  memoryHistory: number;
  /** Collections listed, newest first. */
  maxCollections: number;
  /** Collections with more chunks are listed with counts only. */
  maxPlacementChunks: number;
  /** A client whose socket buffers more than this stops getting deltas ... */
  highWaterBytes: number;
  /** ... and gets snapshots again once its buffer is below this. */
  lowWaterBytes: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxMessageBytes: 1 << 20,
  flushIntervalMs: 100,
  maxRuns: 4,
  maxTrackedTasks: 400_000,
  maxNodesPerRun: 400,
  maxEdgesPerRun: 4000,
  taskStreamHistory: 10_000,
  taskStreamPerMessage: 2000,
  memoryHistory: 1200,
  maxCollections: 32,
  maxPlacementChunks: 10_000,
  highWaterBytes: 1 << 20,
  lowWaterBytes: 256 << 10,
});
