// The page `lab view` serves: the lab's picture (graph-svg.ts), a table of its
// links kept current from the server's event stream (EventSource: no reload),
// each namespace's addresses and routes on demand, and the latest
// connectivity matrix. Plain HTML and a little script, no framework.
import { escapeXml } from '../graph-svg.js';

const SCRIPT = `
const $ = (s) => document.querySelector(s);
const rate = (b) => b >= 1e9 ? (b / 1e9).toFixed(2) + ' Gbit/s' : b >= 1e6 ? (b / 1e6).toFixed(2) + ' Mbit/s' : b >= 1e3 ? (b / 1e3).toFixed(1) + ' kbit/s' : Math.round(b) + ' bit/s';
function render(state) {
  const rows = state.links.map((l) => {
    const st = l.up ? (l.operstate === 'down' || l.operstate === 'lowerlayerdown' ? 'NO-CARRIER' : 'UP') : 'DOWN';
    return '<tr data-ns="' + l.ns + '" data-link="' + l.name + '" class="' + st.toLowerCase() + '"><td>' + l.ns + '</td><td>' + l.name +
      '</td><td>' + (l.kind || '') + '</td><td class="state">' + st + '</td><td>' + rate(l.rxBps) + '</td><td>' + rate(l.txBps) + '</td></tr>';
  });
  $('#links tbody').innerHTML = rows.join('');
  $('#updated').textContent = new Date(state.at).toLocaleTimeString();
}
const events = new EventSource('events');
events.addEventListener('state', (e) => render(JSON.parse(e.data)));
events.addEventListener('ping', (e) => { $('#matrix').textContent = JSON.parse(e.data).text; });
events.onopen = () => { $('#conn').textContent = 'live'; };
events.onerror = () => { $('#conn').textContent = 'disconnected'; };
async function show(ns) {
  const r = await fetch('namespace?ns=' + encodeURIComponent(ns));
  $('#ns-detail').textContent = await r.text();
}
async function ping() {
  $('#matrix').textContent = 'measuring...';
  await fetch('ping', { method: 'POST' });
}
`;

const STYLE = `
body { font: 14px system-ui, sans-serif; margin: 1em 2em; }
table { border-collapse: collapse; } td, th { padding: 2px 10px; text-align: left; border-bottom: 1px solid #ddd; }
tr.down td.state { color: #b00; font-weight: bold; } tr.up td.state { color: #070; } tr.no-carrier td.state { color: #a60; }
pre { background: #f6f6f6; padding: 8px; } .picture svg { max-width: 100%; height: auto; }
`;

export function viewPage(lab: string, svg: string, namespaces: string[]): string {
  const buttons = namespaces.map((ns) => `<button onclick="show('${escapeXml(ns)}')">${escapeXml(ns)}</button>`).join(' ');
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>lab ${escapeXml(lab)}</title><style>${STYLE}</style></head>
<body>
<h1>lab ${escapeXml(lab)} <small id="conn">connecting</small></h1>
<div class="picture">${svg.replace(/^<\?xml[^>]*>\s*/, '')}</div>
<h2>links <small>updated <span id="updated">-</span></small></h2>
<table id="links"><thead><tr><th>namespace</th><th>link</th><th>kind</th><th>state</th><th>rx</th><th>tx</th></tr></thead><tbody></tbody></table>
<h2>namespaces</h2>
<p id="namespaces">${buttons}</p>
<pre id="ns-detail">(choose a namespace to see its addresses and routes)</pre>
<h2>connectivity <button onclick="ping()">measure</button></h2>
<pre id="matrix">(not measured yet)</pre>
<script>${SCRIPT}</script>
</body></html>
`;
}
