/**
 * The status page in a real browser (Debian's chromium, driven by
 * playwright-core) while a computation runs: it connects with the link's
 * token, shows the workers with memory bars and the one busy worker, the
 * progress of each layer, the task stream, and ends showing what the
 * engine's own state says. Run with `npm run test:browser`.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { BrowserContext, Page, chromium } from "playwright-core";
import { LocalCluster, delayed } from "../../kernel";
import { gate, hold, nap } from "../fixtures/gates";

/** The little of the DOM the page-side callbacks below use (this project's tests compile without the DOM library). */
interface Elem {
  getAttribute(name: string): string | null;
  readonly style: { width: string };
}
declare const document: { querySelector(selector: string): Elem | null; querySelectorAll(selector: string): { length: number } };

const CHROMIUM = process.env.TESSERA_CHROMIUM ?? "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const OUT = path.join(__dirname, "..", "..", "..", "test", "out");

let cluster: LocalCluster;
let browser: BrowserContext;
let profile: string;
before(async () => {
  assert.ok(fs.existsSync(CHROMIUM), `no browser at ${CHROMIUM}: apt-get install chromium (or set TESSERA_CHROMIUM)`);
  cluster = await LocalCluster.start({ workers: 2 });
  profile = fs.mkdtempSync(path.join(os.tmpdir(), "tessera-chromium-"));
  browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1200, height: 900 } });
});
after(async () => {
  await browser?.close();
  await cluster?.close();
  if (profile !== undefined) fs.rmSync(profile, { recursive: true, force: true });
});

/** Console errors, page errors and CSP violations: a clean page has none. */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  return problems;
}

const total = delayed(function total(...xs: number[]) {
  return xs.reduce((s, x) => s + x, 0);
});

test("the status page shows a running computation live, then the engine's final state", async () => {
  const page = await browser.newPage();
  const problems = watch(page);
  const response = await page.goto(cluster.dashboardLink!);
  assert.equal(response!.status(), 200);
  await page.waitForSelector('#conn[data-state="open"]');
  assert.match(await page.textContent("#cluster") ?? "", new RegExp(`LocalCluster · pid ${process.pid} · 2 workers`));

  const g = gate();
  const parts = [hold(g.cell, 1000), ...Array.from({ length: 12 }, (_, i) => nap(2, i))];
  const running = total(...parts).compute();
  try {
    // While it runs: one worker is busy with the held task, the run is "running", some layers are done.
    await page.waitForSelector('.run[data-status="running"]');
    await page.waitForSelector('#workers tr[data-processing="1"]');
    await page.waitForFunction(() => document.querySelectorAll('.run[data-status="running"] tr[data-done="1"]').length === 12);
    const rows = await page.$$eval("#workers tbody tr", (trs) => trs.map((tr) => tr.getAttribute("data-worker")));
    assert.deepEqual(rows.sort(), cluster.workers.map((w) => w.id).sort());
    fs.mkdirSync(OUT, { recursive: true });
    await page.screenshot({ path: path.join(OUT, "status-page-running.png"), fullPage: true });
  } finally {
    g.open();
  }
  assert.equal(await running, 1000 + 66);

  // Done: every layer's row says done = total, as the engine's model does.
  await page.waitForSelector('.run[data-status="done"]');
  const model = cluster.dashboard!.model;
  const run = model.graph.snapshot().at(-1)!;
  const shown = await page.$$eval('.run[data-status="done"] tr[data-node]', (trs) => trs.map((tr) => [tr.getAttribute("data-node"), Number(tr.getAttribute("data-done")), Number(tr.getAttribute("data-total"))]));
  assert.deepEqual(shown, run.nodes.map((n) => [n.name, n.ntasks, n.ntasks]));
  assert.equal(shown.length, 14);

  // Workers: tasks run per worker as the engine counted them; memory bars drawn against the limit.
  const expected = Object.fromEntries(model.workers.list().map((w) => [w.id, w.tasksRun]));
  await page.waitForFunction((want) => Object.entries(want).every(([id, n]) => document.querySelector(`#workers tr[data-worker="${id}"]`)?.getAttribute("data-tasks-run") === String(n)), expected);
  assert.equal(Object.values(expected).reduce((s, n) => s + n, 0), 14);
  const bar = await page.$eval("#workers tbody tr .bar .unmanaged", (e) => parseFloat((e as unknown as Elem).style.width));
  assert.ok(bar > 0 && bar <= 100, `unmanaged bar ${bar}%`);

  // Task stream: one rectangle per task the stream recorded.
  const records = model.stream.since(-1).records.length;
  await page.waitForFunction((n) => document.querySelector("#stream-plot svg")?.getAttribute("data-records") === String(n), records);
  assert.equal(await page.$$eval("#stream-plot svg rect", (r) => r.length), records);
  await page.screenshot({ path: path.join(OUT, "status-page-done.png"), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test("without the token the browser gets 403, and the page never loads data", async () => {
  const page = await browser.newPage();
  const r = await page.goto(cluster.dashboard!.url);
  assert.equal(r!.status(), 403);
  assert.match(await page.textContent("body") ?? "", /needs its token/);
  await page.close();
});
