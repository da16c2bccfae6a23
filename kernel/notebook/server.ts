/**
 * The Jupyter side of the kernel: tslab's ZeroMQ server and request handler,
 * subclassed to speak the protocol fully and to bracket each cell.
 *
 * Added or fixed, relative to tslab 1.0.22:
 *   - execute_input, execute_result (with the execution count) and an `error`
 *     message with ename / evalue / traceback for a failed cell (tslab only
 *     writes errors to stderr, so clients show no traceback);
 *   - the cells after a failed one run: tslab aborts every request for 200 ms
 *     after an error, which silently empties the rest of a notebook run by
 *     nbconvert; only requests already queued (Run All) are aborted now;
 *   - interrupt_request (interrupt_mode "message") is answered and interrupts;
 *   - comm_info_request gets a comm_info_reply (tslab sends the wrong type),
 *     history_request a history_reply (tslab sends none);
 *   - shutdown_request echoes `restart` and the process exits promptly,
 *     ending what its cells started (tslab waits for the client's SIGTERM).
 */
import * as crypto from "node:crypto";
import type { JupyterError } from "./error-report";
import type { CellChannel, KernelSession } from "./session";
import type { Tslab, WriteDisplayData, WriteStream, ZmqMessage } from "./tslab";

export interface ServerHooks {
  interrupt(): void;
  shutdown(): void;
  kernelInfo(): Record<string, unknown>;
}

const DELIM = "<IDS|MSG>";
/** The channel of an execute_request travels to the handler on its display writer. */
const CHANNEL = Symbol("tessera.channel");
type ChannelWriter = WriteDisplayData & { [CHANNEL]?: CellChannel & { report?: JupyterError } };

/**
 * The server and handler classes, built on the loaded tslab.
 * @example const { Server, Handler } = serverClasses(tslab, session, hooks); new Server(new Handler(executor, false), file).init()
 */
export function serverClasses(tslab: Tslab, session: KernelSession, hooks: ServerHooks): { Server: Tslab["jupyter"]["ZmqServer"]; Handler: Tslab["jupyter"]["JupyterHandlerImpl"] } {
  class Handler extends tslab.jupyter.JupyterHandlerImpl {
    constructor(...args: ConstructorParameters<Tslab["jupyter"]["JupyterHandlerImpl"]>) {
      super(...args);
      // Abort only the requests queued when a cell fails, not the ones that arrive after.
      const reset = this.execQueue.reset.bind(this.execQueue);
      this.execQueue.reset = () => void setImmediate(() => reset());
    }

    handleKernel(): Record<string, unknown> {
      return hooks.kernelInfo();
    }

    override async handleExecuteImpl(req: Record<string, unknown>, writeStream: WriteStream, writeDisplay: WriteDisplayData): Promise<unknown> {
      const channel = (writeDisplay as ChannelWriter)[CHANNEL];
      if (channel === undefined) return super.handleExecuteImpl(req, writeStream, writeDisplay);
      session.begin(this.execCount + 1, String(req["code"] ?? ""), channel);
      let ok = false;
      try {
        const count = await super.handleExecuteImpl(req, writeStream, writeDisplay);
        ok = true;
        return count;
      } finally {
        const report = session.end(ok);
        if (report !== undefined) channel.report = report;
      }
    }
  }

  class Server extends tslab.jupyter.ZmqServer {
    private closing = false;

    override async handleShellMessage(socket: unknown, ...frames: Buffer[]): Promise<void> {
      const i = frames.findIndex((f) => f.toString() === DELIM);
      const header = i >= 0 && frames[i + 2] !== undefined ? (JSON.parse(frames[i + 2]!.toString()) as { msg_type?: string }) : {};
      const content = i >= 0 && frames[i + 5] !== undefined ? (JSON.parse(frames[i + 5]!.toString()) as Record<string, unknown>) : {};
      const reply = this.extraReply(String(header.msg_type), content);
      if (reply === undefined) return super.handleShellMessage(socket, ...frames);
      if (this.sign(frames.slice(i + 2, i + 6).map(String)) !== frames[i + 1]!.toString()) {
        process.stderr.write(`tessera: dropped a ${header.msg_type} with a bad signature\n`);
        return;
      }
      await this.reply(socket, frames, i, header, reply.content);
      if (reply.then !== undefined) reply.then();
    }

    override async handleExecute(socket: unknown, msg: ZmqMessage): Promise<void> {
      const send = (msgType: string, content: Record<string, unknown>) => {
        const m = msg.createReply();
        m.header.msg_type = msgType;
        m.content = content;
        m.signAndSend(this.connInfo.key, this.iopub);
      };
      const writeStream: WriteStream = (name, text) => send("stream", { name, text });
      const writeDisplay: ChannelWriter = (data, update) => send(update ? "update_display_data" : "display_data", data as unknown as Record<string, unknown>);
      const channel: CellChannel & { report?: JupyterError } = { publish: send, writeDisplay };
      writeDisplay[CHANNEL] = channel;
      const content = await this.handler.handleExecute(msg.content, writeStream, writeDisplay);
      const reply = msg.createReply();
      reply.header.msg_type = "execute_reply";
      reply.content = content.status === "error" && channel.report !== undefined ? { ...content, ...channel.report } : content;
      reply.signAndSend(this.connInfo.key, socket);
    }

    override close(): void {
      if (this.closing) return;
      this.closing = true;
      super.close();
      hooks.shutdown();
    }

    private extraReply(msgType: string, content: Record<string, unknown>): { content: Record<string, unknown>; then?: () => void } | undefined {
      switch (msgType) {
        case "interrupt_request":
          hooks.interrupt();
          return { content: { status: "ok" } };
        case "comm_info_request":
          return { content: { status: "ok", comms: {} } };
        case "history_request":
          return { content: { status: "ok", history: [] } };
        case "shutdown_request":
          return { content: { status: "ok", restart: content["restart"] === true }, then: () => this.close() };
        default:
          return undefined;
      }
    }

    private sign(parts: string[]): string {
      const h = crypto.createHmac("sha256", this.connInfo.key);
      for (const p of parts) h.update(p);
      return h.digest("hex");
    }

    /** Sends a reply on `socket` (shell or control) with busy/idle status around it, as tslab does. */
    private async reply(socket: unknown, frames: Buffer[], i: number, header: Record<string, unknown>, content: Record<string, unknown>): Promise<void> {
      const msgType = String(header["msg_type"]).replace(/_request$/, "_reply");
      const make = (type: string, c: Record<string, unknown>) => {
        const h = { ...header, msg_id: crypto.randomUUID(), msg_type: type, date: new Date().toISOString() };
        const parts = [h, header, {}, c].map((x) => JSON.stringify(x));
        return [DELIM, this.sign(parts), ...parts];
      };
      const iopub = this.iopub as { send(frames: unknown[]): Promise<void> };
      await iopub.send(make("status", { execution_state: "busy" }));
      await (socket as { send(frames: unknown[]): Promise<void> }).send([...frames.slice(0, i), ...make(msgType, content)]);
      await iopub.send(make("status", { execution_state: "idle" }));
    }
  }

  return { Server, Handler };
}
