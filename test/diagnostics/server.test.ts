import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as net from "node:net";
import WebSocket from "ws";
import { DashboardServer, LocalCluster, Runtime } from "../../kernel";
import { PROTOCOL_VERSION, parseServerMessage } from "../../kernel/protocol";
import { TestClient, tempDir } from "./client";

const dir = tempDir("tessera-server-test-");
let rt: Runtime;
let server: DashboardServer;

before(async () => {
  rt = new Runtime({ workers: 1, scheduler: "sync" });
  server = await DashboardServer.start(rt, { runtimeDir: dir });
});
after(async () => {
  await server.close();
  await rt.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function get(path: string, headers: Record<string, string> = {}, method = "GET"): Promise<Response> {
  return fetch(new URL(path, server.url), { headers, method });
}

/** Opens a WebSocket; resolves with its HTTP status when the upgrade is refused, or "open". */
function wsStatus(url: string, headers: Record<string, string> = {}): Promise<number | "open"> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once("open", () => {
      ws.close();
      resolve("open");
    });
    ws.once("unexpected-response", (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
    });
    ws.once("error", (e) => {
      if (!String(e.message).includes("Unexpected server response")) reject(e);
    });
  });
}

test("the link is the URL with ?token=, on 127.0.0.1, and the token is random and long", async () => {
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  assert.equal(server.link, `${server.url}?token=${server.token}`);
  assert.match(server.token, /^[0-9a-f]{48}$/);
  const other = await DashboardServer.start(rt, { runtimeDir: false });
  assert.notEqual(other.token, server.token);
  assert.notEqual(other.url, server.url);
  await other.close();
});

test("no token or a wrong token: 403 on every data route, with a message that says what to do", async () => {
  for (const path of ["/", "/metrics", "/api/cluster", "/nowhere"]) {
    for (const r of [await get(path), await get(`${path}?token=${"0".repeat(48)}`), await get(path, { Authorization: "token nope" })]) {
      assert.equal(r.status, 403, path);
      assert.match(await r.text(), /needs its token\. Open the link the cluster printed \(cluster\.dashboardLink/);
    }
  }
  // The token's length must not matter to the comparison either.
  assert.equal((await get(`/?token=${server.token}x`)).status, 403);
  assert.equal((await get(`/?token=${server.token.slice(1)}`)).status, 403);
});

test("the token is accepted as ?token=, as an Authorization header, or as X-Tessera-Token", async () => {
  assert.equal((await get(`/?token=${server.token}`)).status, 200);
  assert.equal((await get("/", { Authorization: `token ${server.token}` })).status, 200);
  assert.equal((await get("/", { Authorization: `Bearer ${server.token}` })).status, 200);
  assert.equal((await get("/", { "X-Tessera-Token": server.token })).status, 200);
});

test("the WebSocket refuses a missing or wrong token with 403, and opens with the right one", async () => {
  const ws = server.url.replace("http", "ws");
  assert.equal(await wsStatus(`${ws}ws`), 403);
  assert.equal(await wsStatus(`${ws}ws?token=wrong`), 403);
  assert.equal(await wsStatus(`${ws}ws`, { Authorization: "token wrong" }), 403);
  assert.equal(await wsStatus(`${ws}elsewhere?token=${server.token}`), 404);
  assert.equal(await wsStatus(`${ws}ws?token=${server.token}`), "open");
  assert.equal(await wsStatus(`${ws}ws`, { Authorization: `token ${server.token}` }), "open");
});

test("a raw upgrade without a token gets a plain 403 and a closed socket", async () => {
  const port = Number(new URL(server.url).port);
  const reply = await new Promise<string>((resolve) => {
    const s = net.connect(port, "127.0.0.1", () => {
      s.write("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    });
    let text = "";
    s.on("data", (d) => (text += d));
    s.on("close", () => resolve(text));
  });
  assert.match(reply, /^HTTP\/1\.1 403 Forbidden/);
});

test("the status page comes with a strict CSP; its scripts are served without a token (they hold no data)", async () => {
  const r = await get(`/?token=${server.token}`);
  const csp = r.headers.get("content-security-policy")!;
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self'/);
  const nonce = /style-src 'nonce-([^']+)'/.exec(csp)![1]!;
  const html = await r.text();
  assert.ok(html.includes(`<style nonce="${nonce}">`));
  assert.equal(r.headers.get("referrer-policy"), "no-referrer");
  const src = /<script type="module" src="([^"]+)"/.exec(html)![1]!;
  const js = await get(src);
  assert.equal(js.status, 200);
  assert.match(js.headers.get("content-type")!, /text\/javascript/);
  const code = await js.text();
  assert.match(code, /from "\.\.\/\.\.\/protocol\.js"/);
  assert.equal((await get("/static/protocol.js")).status, 200);
  assert.equal((await get("/static/../package.json")).status, 403, "only listed files are static");
});

test("unknown routes and methods get 404 and 405 with what exists", async () => {
  const r = await get(`/nowhere?token=${server.token}`);
  assert.equal(r.status, 404);
  assert.match(await r.text(), /no \/nowhere here \(try \/, \/metrics, \/api\/cluster or the WebSocket at \/ws\)/);
  const p = await get(`/metrics?token=${server.token}`, {}, "POST");
  assert.equal(p.status, 405);
  assert.equal(p.headers.get("allow"), "GET, HEAD");
});

test("/api/cluster describes the cluster as `hello` does", async () => {
  const r = await get("/api/cluster", { "X-Tessera-Token": server.token });
  const body = await r.json() as { protocol: number; cluster: { pid: number; workers: number; memoryLimit: number } };
  assert.equal(body.protocol, PROTOCOL_VERSION);
  assert.equal(body.cluster.pid, process.pid);
  assert.equal(body.cluster.workers, 1);
  assert.equal(body.cluster.memoryLimit, rt.store.memoryLimit);
});

test("bad requests on the WebSocket get an error naming the problem, and the session goes on", async () => {
  const c = await TestClient.connect(server);
  try {
    const cases: [string, RegExp][] = [
      ["hello?", /request refused: message is not JSON/],
      ['{"type":"drop-tables","data":{}}', /message type "drop-tables" is unknown \(known: subscribe, unsubscribe, expand, collapse\)/],
      ['{"type":"subscribe","data":{"streams":["everything"]}}', /subscribe\.data\.streams\[0\] must be one of "workers"/],
      ['{"type":"expand","data":{"runId":"r"}}', /expand\.data\.node is missing/],
    ];
    for (const [text, pattern] of cases) {
      const reply = c.next((m) => m.type === "error");
      c.ws.send(text);
      const e = await reply;
      assert.equal(e.type, "error");
      if (e.type === "error") {
        assert.equal(e.data.code, "bad-message");
        assert.match(e.data.message, pattern);
      }
    }
    const binary = c.next((m) => m.type === "error");
    c.ws.send(Buffer.from([1, 2, 3]));
    assert.match(JSON.stringify((await binary).data), /binary frames are not part of the protocol: send JSON text/);
    const unknownRun = await c.request("expand", { runId: "no-such-run", node: "x" });
    assert.equal(unknownRun.type, "error");
    assert.match(JSON.stringify(unknownRun.data), /expand: no run \\"no-such-run\\"/);
    // Still serving: a valid subscription gets its snapshot.
    const snap = c.next((m) => m.type === "graph");
    c.send("subscribe", { streams: ["graph"] });
    await snap;
    assert.deepEqual(c.problems, []);
  } finally {
    await c.close();
  }
});

test("a request larger than 64 KiB closes that connection only", async () => {
  const c = await TestClient.connect(server);
  const closed = new Promise<number>((resolve) => c.ws.once("close", (code) => resolve(code)));
  c.ws.send("x".repeat(70_000));
  assert.equal(await closed, 1009);
  const d = await TestClient.connect(server);
  await d.close();
});

test("LocalCluster starts a dashboard by default, links it, and stops it on close", async () => {
  const c = await LocalCluster.start({ workers: 1, dashboard: true });
  const link = c.dashboardLink!;
  assert.equal(link, c.dashboard!.link);
  assert.match(String(c), /dashboard=http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{48}/);
  assert.equal(LocalCluster.current().dashboardLink, link);
  assert.equal((await fetch(link)).status, 200);
  await c.close();
  await assert.rejects(fetch(link));
  const quiet = await LocalCluster.start({ workers: 1, dashboard: false });
  assert.equal(quiet.dashboardLink, undefined);
  assert.doesNotMatch(String(quiet), /dashboard=/);
  await quiet.close();
});

test("bad dashboard options name the value and the fix", async () => {
  await assert.rejects(LocalCluster.start({ workers: 1, dashboard: "yes" as never }), /LocalCluster option dashboard must be true \(the default\), false, or \{ port: number \}, got "yes"/);
  await assert.rejects(LocalCluster.start({ workers: 1, dashboard: { prot: 8787 } as never }), /LocalCluster option dashboard\.prot must be absent: the only dashboard option is port, got 8787/);
  await assert.rejects(LocalCluster.start({ workers: 1, dashboard: { port: -1 } }), /dashboard\.port must be an integer from 0 to 65535 \(0: a free port\), got -1/);
  await assert.rejects(DashboardServer.start(rt, { runtimeDir: "" }), /dashboard\.runtimeDir must be a folder path, or false/);
  const port = Number(new URL(server.url).port);
  await assert.rejects(DashboardServer.start(rt, { port, runtimeDir: false }), new RegExp(`dashboard\\.port must be a free port \\(${port} is in use: pass \\{ port: 0 \\} to pick a free one\\)`));
});

test("a server message that would be too large is replaced by an error, never sent", async () => {
  const small = await DashboardServer.start(rt, { runtimeDir: false, limits: { maxMessageBytes: 300 } });
  const warned = new Promise<Error>((resolve) => process.once("warning", resolve));
  const ws = new WebSocket(`${small.url.replace("http", "ws")}ws?token=${small.token}`);
  const first = await new Promise<string>((resolve) => ws.once("message", (d) => resolve(d.toString())));
  const parsed = parseServerMessage(first);
  assert.ok(parsed.ok);
  assert.equal(parsed.message.type, "error");
  assert.match(JSON.stringify(parsed.message), /a \\"hello\\" message of \d+ bytes is over the 300-byte limit/);
  assert.match((await warned).message, /over the 300-byte limit/);
  ws.close();
  await small.close();
});
