/**
 * The dashboard server: HTTP and WebSocket on 127.0.0.1, a free port, and a
 * random token (like Jupyter's). Every route that returns data needs the
 * token (403 otherwise); only the page's static scripts, which hold no data,
 * are served without it.
 *
 *   GET /            the status page (page.ts, page/status.ts)
 *   GET /metrics     Prometheus text (metrics.ts)
 *   GET /api/cluster the `hello` payload as JSON, for tools that poll
 *   GET /ws          WebSocket speaking kernel/protocol.ts (session.ts)
 *   GET /static/…    the page's scripts
 *
 * The server owns a DashboardModel (the aggregate of the runtime's events)
 * and flushes its deltas to every session at most every `flushIntervalMs`,
 * only while something changed (or a lagging client waits for a snapshot).
 * It never keeps a process alive on its own: its sockets and timers are unref'd.
 */
import { EventEmitter } from "node:events";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import { WebSocket, WebSocketServer } from "ws";
import { Errors } from "../errors";
import { PROTOCOL_VERSION, STREAMS } from "../protocol";
import type { Runtime } from "../schedule";
import { FORBIDDEN_TEXT, newToken, requestToken, tokenMatches } from "./auth";
import { DEFAULT_LIMITS, Limits } from "./limits";
import { renderMetrics } from "./metrics";
import { DashboardModel } from "./model";
import { pageCsp, statusPage } from "./page";
import { Announcement, announce, runtimeDir } from "./runtime-files";
import { Session } from "./session";

export interface DashboardOptions {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Folder for the runtime file (default: runtimeDir()); false writes none. */
  runtimeDir?: string | false;
  /** Smaller bounds for tests; see limits.ts. */
  limits?: Partial<Limits>;
  /** How the cluster presents itself in `hello`. */
  kind?: "LocalCluster" | "Runtime";
}

const HOST = "127.0.0.1";
const PAGE_ROOT = path.join(__dirname, "..", "..", "page");
/** Static files served without a token: the page's script and the protocol it imports. */
const STATIC: Record<string, string> = {
  "/static/diagnostics/page/status.js": "diagnostics/page/status.js",
  "/static/protocol.js": "protocol.js",
};
const BASE_HEADERS = { "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "Cache-Control": "no-store" };

export class DashboardServer extends EventEmitter<{ lagging: [Session]; resynced: [Session] }> {
  readonly model: DashboardModel;
  readonly token = newToken();
  readonly limits: Limits;
  private readonly sessions = new Map<WebSocket, Session>();
  private readonly http: http.Server;
  private readonly wss: WebSocketServer;
  private announcement: Announcement | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastFlush = 0;
  private port = 0;
  private closed = false;

  private constructor(runtime: Runtime, options: DashboardOptions) {
    super();
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.model = new DashboardModel(runtime, this.limits, options.kind ?? "Runtime");
    this.model.onChange(() => this.schedule());
    this.http = http.createServer((req, res) => this.handle(req, res));
    this.http.on("connection", (socket) => socket.unref());
    this.http.on("clientError", (_e, socket) => socket.destroy());
    this.wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024, perMessageDeflate: false });
    this.http.on("upgrade", (req, socket, head) => {
      const url = new URL(req.url ?? "/", "http://x");
      if (url.pathname !== "/ws" || !tokenMatches(requestToken(req, url), this.token)) {
        const status = url.pathname !== "/ws" ? "404 Not Found" : "403 Forbidden";
        const body = url.pathname !== "/ws" ? "404: the dashboard's WebSocket is at /ws\n" : FORBIDDEN_TEXT;
        socket.end(`HTTP/1.1 ${status}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.connect(ws));
    });
  }

  /**
   * Starts a dashboard for a runtime (LocalCluster.start does, by default).
   * @example const d = await DashboardServer.start(cluster.runtime); console.log(d.link)
   */
  static async start(runtime: Runtime, options: DashboardOptions = {}): Promise<DashboardServer> {
    const port = options.port ?? 0;
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw Errors.badOption("dashboard.port", port, "an integer from 0 to 65535 (0: a free port)");
    const dir = options.runtimeDir;
    if (dir !== undefined && dir !== false && (typeof dir !== "string" || dir === "")) throw Errors.badOption("dashboard.runtimeDir", dir, "a folder path, or false for no runtime file");
    const server = new DashboardServer(runtime, options);
    try {
      await new Promise<void>((resolve, reject) => {
        server.http.once("error", reject);
        server.http.listen(port, HOST, () => {
          server.http.off("error", reject);
          resolve();
        });
      });
    } catch (e) {
      server.model.dispose();
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EADDRINUSE") throw Errors.badOption("dashboard.port", port, `a free port (${port} is in use: pass { port: 0 } to pick a free one)`);
      throw e;
    }
    server.http.unref();
    server.port = (server.http.address() as AddressInfo).port;
    if (dir !== false) {
      try {
        server.announcement = announce({ url: server.link, token: server.token, startTime: server.model.info.startTime }, dir ?? runtimeDir());
      } catch (e) {
        // The dashboard works without discovery; say why the extension will not list it.
        process.emitWarning(`tessera: the dashboard runs at ${server.url} but its runtime file could not be written: ${(e as Error).message}`);
      }
    }
    return server;
  }

  /** The server's base URL, without the token. */
  get url(): string {
    return `http://${HOST}:${this.port}/`;
  }

  /** The URL with ?token=, as Jupyter prints it: what a user opens. */
  get link(): string {
    return `${this.url}?token=${this.token}`;
  }

  /** The runtime file announcing this dashboard, if one was written. */
  get runtimeFile(): string | undefined {
    return this.announcement?.file;
  }

  /** Connected clients. */
  get clients(): Session[] {
    return [...this.sessions.values()];
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    this.announcement?.remove();
    for (const [ws, s] of this.sessions) {
      s.close();
      ws.close(1001, "the cluster closed");
    }
    this.sessions.clear();
    this.model.dispose();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private connect(ws: WebSocket): void {
    const transport = {
      send: (text: string) => ws.send(text),
      get bufferedAmount() {
        return ws.bufferedAmount;
      },
      close: (code: number, reason: string) => ws.close(code, reason),
    };
    const session = new Session(transport, this.model, this.limits, {
      lagging: (s) => this.emit("lagging", s),
      resynced: (s) => this.emit("resynced", s),
    });
    this.sessions.set(ws, session);
    ws.on("message", (data, isBinary) => {
      // A throw here would be an uncaught exception in the user's kernel: report it to the client instead.
      guard(() => (isBinary ? session.refuse("binary frames are not part of the protocol: send JSON text") : session.receive(data.toString())), (message) => session.fail(message));
    });
    ws.on("close", () => {
      session.close();
      this.sessions.delete(ws);
    });
    ws.on("error", () => ws.terminate());
  }

  /** A flush soon, at most one per flushIntervalMs. */
  private schedule(): void {
    if (this.timer !== undefined || this.closed) return;
    const wait = Math.max(0, this.lastFlush + this.limits.flushIntervalMs - Date.now());
    this.timer = setTimeout(() => this.flush(), wait);
    this.timer.unref();
  }

  private flush(): void {
    guard(() => this.flushNow());
  }

  private flushNow(): void {
    this.timer = undefined;
    this.lastFlush = Date.now();
    // Flushed even with no client, so that what changed never piles up.
    const f = this.model.flush();
    let lagging = false;
    for (const s of this.sessions.values()) {
      s.deliver(f);
      lagging ||= s.lagging;
    }
    // A lagging client gets its snapshots once its buffer drains, even if nothing else happens.
    if (lagging) this.schedule();
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    try {
      const url = new URL(req.url ?? "/", "http://x");
      if (req.method !== "GET" && req.method !== "HEAD") return this.reply(res, 405, "text/plain", `405: the dashboard only answers GET, not ${req.method}\n`, { Allow: "GET, HEAD" });
      const file = STATIC[url.pathname];
      if (file !== undefined) return this.serveStatic(res, file);
      if (!tokenMatches(requestToken(req, url), this.token)) return this.reply(res, 403, "text/plain", FORBIDDEN_TEXT);
      switch (url.pathname) {
        case "/": {
          const nonce = randomBytes(16).toString("base64");
          return this.reply(res, 200, "text/html", statusPage(nonce, `Tessera dashboard (pid ${process.pid})`), { "Content-Security-Policy": pageCsp(nonce) });
        }
        case "/metrics":
          return this.reply(res, 200, "text/plain; version=0.0.4", renderMetrics(this.model));
        case "/api/cluster":
          return this.reply(res, 200, "application/json", JSON.stringify({ protocol: PROTOCOL_VERSION, cluster: this.model.info, streams: STREAMS }));
        default:
          return this.reply(res, 404, "text/plain", `404: no ${url.pathname} here (try /, /metrics, /api/cluster or the WebSocket at /ws)\n`);
      }
    } catch (e) {
      this.reply(res, 500, "text/plain", `500: ${(e as Error).message}\n`);
    }
  }

  private serveStatic(res: http.ServerResponse, file: string): void {
    fs.readFile(path.join(PAGE_ROOT, file), (err, data) => {
      if (err !== null) return this.reply(res, 404, "text/plain", `404: ${file} is not built (run npm run build)\n`);
      this.reply(res, 200, "text/javascript", data);
    });
  }

  private reply(res: http.ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}): void {
    const ctype = type.includes("charset") || type.includes("version") ? type : `${type}; charset=utf-8`;
    res.writeHead(status, { ...BASE_HEADERS, "Content-Type": ctype, "Content-Length": Buffer.byteLength(body), ...headers });
    res.end(res.req.method === "HEAD" ? undefined : body);
  }
}

/** Runs `fn`; a bug in the dashboard becomes a warning (and a message to the client), never a crash of the kernel. */
function guard(fn: () => void, tell?: (message: string) => void): void {
  try {
    fn();
  } catch (e) {
    const message = `internal: ${(e as Error)?.stack ?? e}`;
    process.emitWarning(`tessera dashboard: ${message}`);
    tell?.(message);
  }
}
