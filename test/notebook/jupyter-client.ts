/**
 * A small Jupyter client over ZeroMQ (wire protocol 5.3, HMAC-SHA256), for
 * the kernel protocol tests: starts a kernel the way jupyter_client does (in
 * its own process group, with a connection file), sends shell and control
 * requests, and collects the iopub messages of each request. It is also the
 * shape of what the VS Code notebook controller needs.
 */
import { ChildProcess, spawn } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import * as zmq from "zeromq";

const DELIM = "<IDS|MSG>";

export interface Message {
  header: { msg_id: string; msg_type: string; [k: string]: unknown };
  parent: { msg_id?: string; [k: string]: unknown };
  content: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  at: number;
}

export interface Request {
  msgId: string;
  sentAt: number;
  reply: Promise<Message>;
  /** The iopub status "idle" for this request: every output was sent before it. */
  idle: Promise<Message>;
  iopub: Message[];
  /** Resolves with the first iopub message (already received or to come) that `match` accepts. */
  waitFor(match: (m: Message) => boolean): Promise<Message>;
}

export interface Connection {
  transport: "tcp";
  ip: string;
  key: string;
  signature_scheme: "hmac-sha256";
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Whether a TCP port on 127.0.0.1 can be bound (nobody listens on it). */
export async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });
}

/** Rejects after `ms` with `what` in the message: a bound on waiting for an event, never a sleep. */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const bound = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms)));
  return Promise.race([p, bound]).finally(() => clearTimeout(timer));
}

export class KernelClient {
  readonly conn: Connection;
  readonly connectionFile: string;
  proc!: ChildProcess;
  exited!: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output = "";
  private readonly session = crypto.randomUUID();
  private shell!: zmq.Dealer;
  private control!: zmq.Dealer;
  private iopubSocket!: zmq.Subscriber;
  private readonly pending = new Map<string, Request & { resolveReply(m: Message): void; resolveIdle(m: Message): void; waiters: { match: (m: Message) => boolean; resolve(m: Message): void }[] }>();
  private closing = false;

  private constructor(conn: Connection, connectionFile: string) {
    this.conn = conn;
    this.connectionFile = connectionFile;
  }

  /** Writes a connection file in `dir` with free ports. */
  static async connection(dir: string): Promise<{ conn: Connection; file: string }> {
    const conn: Connection = {
      transport: "tcp", ip: "127.0.0.1", key: crypto.randomBytes(16).toString("hex"), signature_scheme: "hmac-sha256",
      shell_port: await freePort(), iopub_port: await freePort(), stdin_port: await freePort(), control_port: await freePort(), hb_port: await freePort(),
    };
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `kernel-${crypto.randomUUID()}.json`);
    fs.writeFileSync(file, JSON.stringify(conn));
    return { conn, file };
  }

  /** Starts `argv` ("{connection_file}" replaced) and waits until it answers on shell and iopub. */
  static async start(argv: string[], options: { dir: string; cwd?: string; env?: NodeJS.ProcessEnv; connection?: { conn: Connection; file: string } }): Promise<KernelClient> {
    const { conn, file } = options.connection ?? (await KernelClient.connection(options.dir));
    const c = new KernelClient(conn, file);
    const cmd = argv.map((a) => a.replace("{connection_file}", file));
    // detached: a session and process group of its own, as jupyter_client starts kernels on POSIX.
    c.proc = spawn(cmd[0]!, cmd.slice(1), { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ["ignore", "pipe", "pipe"], detached: true });
    c.proc.stdout!.on("data", (d) => (c.output += d));
    c.proc.stderr!.on("data", (d) => (c.output += d));
    c.exited = new Promise((resolve) => c.proc.once("exit", (code, signal) => resolve({ code, signal })));
    const url = (port: number) => `tcp://127.0.0.1:${port}`;
    c.shell = new zmq.Dealer();
    c.shell.connect(url(conn.shell_port));
    c.control = new zmq.Dealer();
    c.control.connect(url(conn.control_port));
    c.iopubSocket = new zmq.Subscriber();
    c.iopubSocket.connect(url(conn.iopub_port));
    c.iopubSocket.subscribe();
    void c.loop(c.shell, "reply");
    void c.loop(c.control, "reply");
    void c.loop(c.iopubSocket, "iopub");
    await c.ready();
    return c;
  }

  get pid(): number {
    return this.proc.pid!;
  }

  /** Sends a request on shell (default) or control. */
  send(msgType: string, content: Record<string, unknown> = {}, channel: "shell" | "control" = "shell"): Request {
    const header = { msg_id: crypto.randomUUID(), session: this.session, username: "test", date: new Date().toISOString(), msg_type: msgType, version: "5.3" };
    const parts = [header, {}, {}, content].map((x) => JSON.stringify(x));
    let resolveReply!: (m: Message) => void, resolveIdle!: (m: Message) => void;
    const req = {
      msgId: header.msg_id,
      sentAt: Date.now(),
      reply: new Promise<Message>((r) => (resolveReply = r)),
      idle: new Promise<Message>((r) => (resolveIdle = r)),
      iopub: [] as Message[],
      waiters: [] as { match: (m: Message) => boolean; resolve(m: Message): void }[],
      resolveReply: (m: Message) => resolveReply(m),
      resolveIdle: (m: Message) => resolveIdle(m),
      waitFor(match: (m: Message) => boolean): Promise<Message> {
        const seen = this.iopub.find(match);
        return seen !== undefined ? Promise.resolve(seen) : new Promise((resolve) => this.waiters.push({ match, resolve }));
      },
    };
    this.pending.set(header.msg_id, req);
    void (channel === "shell" ? this.shell : this.control).send([DELIM, this.sign(parts), ...parts]);
    return req;
  }

  /** Runs code; resolves once both its execute_reply and its idle status arrived. */
  async execute(code: string, timeoutMs = 60_000): Promise<{ reply: Message; iopub: Message[]; request: Request }> {
    const request = this.send("execute_request", { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true });
    const [reply] = await within(Promise.all([request.reply, request.idle]), timeoutMs, `the reply to ${JSON.stringify(code.slice(0, 60))}\n${this.output}`);
    return { reply, iopub: request.iopub, request };
  }

  /** Sends SIGINT to the kernel process, as Jupyter does for interrupt_mode "signal". */
  interrupt(): void {
    process.kill(this.pid, "SIGINT");
  }

  /** Kills the kernel's process group if it still runs, and closes the sockets. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.proc.exitCode === null && this.proc.signalCode === null) {
      try {
        process.kill(-this.pid, "SIGKILL");
      } catch {
        this.proc.kill("SIGKILL");
      }
    }
    await this.exited;
    for (const s of [this.shell, this.control, this.iopubSocket]) s.close();
  }

  private async ready(): Promise<void> {
    // The iopub subscription takes a moment to reach the kernel (ZeroMQ's slow joiner): repeat
    // kernel_info_request until its status messages arrive, each attempt bounded.
    for (let attempt = 0; attempt < 50; attempt++) {
      const r = this.send("kernel_info_request");
      await within(r.reply, 60_000, `kernel_info_reply\n${this.output}`);
      try {
        await within(r.idle, 300, "iopub status");
        return;
      } catch {
        // not subscribed yet: try again
      }
    }
    throw new Error(`the kernel's iopub never reached us\n${this.output}`);
  }

  private sign(parts: string[]): string {
    const h = crypto.createHmac("sha256", this.conn.key);
    for (const p of parts) h.update(p);
    return h.digest("hex");
  }

  private async loop(socket: zmq.Dealer | zmq.Subscriber, kind: "reply" | "iopub"): Promise<void> {
    try {
      for await (const frames of socket) {
        const i = frames.findIndex((f) => f.toString() === DELIM);
        const parts = frames.slice(i + 2, i + 6).map((f) => f.toString());
        if (this.sign(parts) !== frames[i + 1]!.toString()) throw new Error("bad HMAC from the kernel");
        const [header, parent, , content] = parts.map((p) => JSON.parse(p));
        const msg: Message = { header, parent, content, at: Date.now() };
        const req = this.pending.get(parent.msg_id);
        if (req === undefined) continue;
        if (kind === "reply") {
          req.resolveReply(msg);
          continue;
        }
        req.iopub.push(msg);
        for (const w of req.waiters.filter((w) => w.match(msg))) {
          req.waiters.splice(req.waiters.indexOf(w), 1);
          w.resolve(msg);
        }
        if (header.msg_type === "status" && content.execution_state === "idle") req.resolveIdle(msg);
      }
    } catch (e) {
      if (!this.closing) throw e;
    }
  }
}

/** The outputs of a request, as (type, text) pairs: text/plain, stream text or ename: evalue. */
export function outputs(iopub: Message[]): { type: string; text: string; msg: Message }[] {
  return iopub
    .filter((m) => !["status", "execute_input"].includes(m.header.msg_type))
    .map((m) => ({
      type: m.header.msg_type,
      text: String(m.content["text"] ?? m.content["data"]?.["text/plain"] ?? `${m.content["ename"]}: ${m.content["evalue"]}`),
      msg: m,
    }));
}

/** A short readable list of a request's outputs, for assertion messages. */
export function summary(iopub: Message[]): string {
  return outputs(iopub).map((o) => `${o.type}: ${o.text.slice(0, 400)}`).join("\n");
}
