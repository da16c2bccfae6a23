/**
 * The status page at the dashboard's URL, for a browser or JupyterLab user:
 * workers with memory bars, progress per layer, the task stream. Plain HTML
 * and one module script (page/status.ts, compiled to dist/page with the
 * shared protocol.ts); no framework, nothing from another origin, a strict
 * Content-Security-Policy (the one inline <style> carries a nonce).
 */
import { escapeHtml } from "../collections/repr";

/** The URL path of the page's script (dist/page is served under /static/). */
export const PAGE_SCRIPT = "/static/diagnostics/page/status.js";

export function pageCsp(nonce: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'nonce-${nonce}'`,
    "connect-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'self'",
  ].join("; ");
}

const CSS = `
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #ffffff; --panel: #f6f8fa;
  --managed: #2f81f7; --unmanaged: #9a6700; --spilled: #8250df; --memory: #1a7f37; --released: #7ee2a8; --processing: #2f81f7; --erred: #cf222e; --waiting: #d1d9e0; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9198a1; --line: #3d444d; --bg: #0d1117; --panel: #151b23; --waiting: #3d444d; } }
* { box-sizing: border-box; }
body { margin: 0; font: 13px/1.4 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
header { display: flex; gap: 1.5em; align-items: baseline; padding: .6em 1em; border-bottom: 1px solid var(--line); background: var(--panel); }
header h1 { font-size: 15px; margin: 0; }
#conn[data-state="open"] { color: var(--memory); } #conn[data-state="closed"] { color: var(--erred); }
main { display: grid; grid-template-columns: minmax(320px, 1fr) minmax(320px, 1fr); gap: 1em; padding: 1em; }
section { border: 1px solid var(--line); border-radius: 6px; padding: .6em .8em; min-width: 0; }
section.wide { grid-column: 1 / -1; }
h2 { font-size: 13px; margin: 0 0 .5em; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; padding: 2px 6px; white-space: nowrap; font-variant-numeric: tabular-nums; }
th { color: var(--muted); font-weight: 500; }
.bar { position: relative; display: flex; height: 12px; min-width: 120px; background: var(--panel); border: 1px solid var(--line); border-radius: 3px; overflow: hidden; }
.bar > span { display: block; height: 100%; }
.managed { background: var(--managed); } .unmanaged { background: var(--unmanaged); } .spilled { background: var(--spilled); }
.memory { background: var(--memory); } .released { background: var(--released); } .processing { background: var(--processing); }
.erred { background: var(--erred); } .waiting { background: var(--waiting); }
.run { margin-bottom: .8em; } .run h3 { font-size: 13px; margin: .2em 0; font-weight: 600; }
.muted { color: var(--muted); } .error { color: var(--erred); white-space: pre-wrap; }
.legend span { display: inline-block; width: .8em; height: .8em; margin: 0 .2em 0 .8em; vertical-align: -1px; }
#stream svg { width: 100%; height: auto; display: block; }
#stream text { fill: var(--muted); font-size: 11px; }
`;

/** The page's HTML; `nonce` must match the response's CSP. */
export function statusPage(nonce: string, title: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<style nonce="${nonce}">${CSS}</style>
<script type="module" src="${PAGE_SCRIPT}"></script>
</head>
<body>
<header><h1>Tessera dashboard</h1><span id="cluster" class="muted">connecting…</span><span id="conn" data-state="connecting">connecting</span></header>
<main>
<section id="workers"><h2>Workers</h2>
<div class="legend muted">memory:<span class="managed"></span>managed<span class="unmanaged"></span>unmanaged<span class="spilled"></span>spilled</div>
<table><thead><tr><th>worker</th><th>processing</th><th>tasks run</th><th>memory</th><th></th></tr></thead><tbody></tbody></table>
<p id="store" class="muted"></p></section>
<section id="progress"><h2>Progress</h2>
<div class="legend muted"><span class="memory"></span>in memory<span class="released"></span>done<span class="processing"></span>processing<span class="erred"></span>erred<span class="waiting"></span>waiting</div>
<div id="runs"><p class="muted">No computation yet.</p></div></section>
<section id="stream" class="wide"><h2>Task stream</h2><div id="stream-plot"><p class="muted">No task has run yet.</p></div></section>
</main>
</body>
</html>
`;
}
