// What a bench run shows: a table of medians with ratios against iproute2,
// the targets of the project (each a ratio measured side by side in the same
// run), bench/results/latest.json, and a bar chart as hand-written SVG.
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { type Row, fmt, median } from './harness.js';

const IPROUTE2 = /^(ip|tc)\b/;

/** The iproute2 rows a phase is compared with: one process per command, and -batch. */
function baselines(rows: Row[]): { proc?: Row; batch?: Row } {
  return {
    proc: rows.find((r) => IPROUTE2.test(r.tool) && !r.tool.includes('-batch')),
    batch: rows.find((r) => r.tool.includes('-batch')),
  };
}

/** Rows grouped by workload and phase, in the order they were measured. */
export function groups(rows: Row[]): { key: string; workload: string; phase: string; rows: Row[] }[] {
  const out = new Map<string, { key: string; workload: string; phase: string; rows: Row[] }>();
  for (const r of rows) {
    const key = `${r.workload} ${r.phase}`;
    let g = out.get(key);
    if (!g) out.set(key, g = { key, workload: r.workload, phase: r.phase, rows: [] });
    g.rows.push(r);
  }
  return [...out.values()];
}

const ratio = (base: Row | undefined, r: Row): string => {
  if (!base || base === r) return '';
  const x = median(base.seconds) / median(r.seconds);
  return x >= 1 ? `${x >= 10 ? x.toFixed(0) : x.toFixed(1)}× faster` : `${(1 / x).toFixed(1)}× slower`;
};

/** min–max of the wall times, and the median CPU time (user + system, children included). */
function spread(r: Row): string {
  const range = `[${fmt(Math.min(...r.seconds))} – ${fmt(Math.max(...r.seconds))}]`;
  return `${range.padEnd(27)} CPU ${r.cpu?.length ? fmt(median(r.cpu)) : '–'}`.padEnd(46);
}

export function printTable(titles: Record<string, string>, rows: Row[]): string {
  const lines: string[] = [];
  const w = Math.max(...rows.map((r) => r.tool.length)) + 2;
  for (const g of groups(rows)) {
    lines.push(`${g.workload} ${titles[g.workload] ?? ''} — ${g.phase}`);
    const { proc, batch } = baselines(g.rows);
    for (const r of g.rows) {
      const note = r.scale ? ` (${Math.round(r.n / r.scale).toLocaleString('en')} timed, ×${r.scale} extrapolated)` : '';
      const vs = [proc && proc !== r ? `${ratio(proc, r)} than ${proc.tool.split(' ')[0]} per command` : '',
        batch && batch !== r && !IPROUTE2.test(r.tool) ? `${ratio(batch, r)} than ${batch.tool}` : ''].filter(Boolean).join('; ');
      lines.push(`  ${r.tool.padEnd(w)}${fmt(median(r.seconds)).padStart(12)}  ${spread(r)}  ${vs}${note}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

export interface Target { name: string; got: number; met: boolean; text: string }

function find(rows: Row[], workload: string, phase: string, tool: string): Row | undefined {
  return rows.find((r) => r.workload === workload && r.phase === phase && r.tool === tool);
}

const x = (v: number): string => `${v >= 10 ? v.toFixed(0) : v.toFixed(2)}×`;

/**
 * The issue's targets, each a ratio of medians of wall time in this run.
 * netlink-ts is taken as a fresh process wherever iproute2 is one (every
 * phase that has a "fresh process" row), so that both sides pay their start.
 */
export function targets(rows: Row[]): Target[] {
  const out: Target[] = [];
  const faster = (name: string, wl: string, phase: string, base: string, ours: string, want: number): void => {
    const b = find(rows, wl, phase, base);
    const o = find(rows, wl, phase, ours);
    if (!b || !o) return;
    const got = median(b.seconds) / median(o.seconds);
    out.push({ name, got, met: got >= want, text: `${x(got)} faster (target at least ${want}×)` });
  };
  faster('W3 add, link up: netlink-ts batch (fresh process) vs ip -batch', 'W3', 'add', 'ip -batch', 'netlink-ts (batch, fresh process)', 2.5);
  const c = find(rows, 'W4', 'whole process: load, dump, decode', 'C client, no library (fresh process)');
  // The C client decodes each route and keeps none: route.stream() does the same work; route.list() also holds them all.
  for (const form of ['stream', 'list']) {
    const o = find(rows, 'W4', 'whole process: load, dump, decode', `netlink-ts route.${form}() (fresh process)`);
    if (!c || !o) continue;
    const got = median(o.seconds) / median(c.seconds);
    out.push({ name: `W4 whole process (load, dump, decode) with route.${form}() vs the C floor`, got, met: got <= 3, text: `${x(got)} the C client's time (target at most 3×)` });
  }
  faster('W4 route show --json into a pipe vs ip -j route show', 'W4', 'route show --json into a pipe', 'ip -j route show | cat', 'netlink-ts route show --json', 1);
  // Reported beside conntrack-tools with no target yet: the first measurement.
  const ctTheirs = find(rows, 'W11', 'conntrack -L into a pipe', 'conntrack -L | cat');
  const ctOurs = find(rows, 'W11', 'conntrack -L into a pipe', 'netlink-ts conntrack -L');
  if (ctTheirs && ctOurs) {
    const got = median(ctTheirs.seconds) / median(ctOurs.seconds);
    out.push({ name: 'W11 conntrack -L into a pipe: netlink-ts vs conntrack-tools', got, met: true, text: `${got >= 1 ? `${x(got)} faster` : `${x(1 / got)} slower`} (no target yet)` });
  }
  faster('W7 round trip: netlink-ts (warm) vs spawning ip', 'W7', 'get one link', 'ip link show lo (process)', 'netlink-ts link.get() (Promise)', 100);
  faster('W10 ethtool round trip: netlink-ts (warm) vs spawning ethtool', 'W10', 'ethtool -l round trip', 'ethtool -l (process)', 'netlink-ts Ethtool.channels() (Promise)', 100);
  // Every phase where netlink-ts ran as a fresh process: at least at parity with the faster iproute2 form.
  for (const g of groups(rows)) {
    const fresh = g.rows.filter((r) => r.tool.startsWith('netlink-ts') && r.tool.endsWith('fresh process)'));
    const theirs = g.rows.filter((r) => IPROUTE2.test(r.tool) && !r.scale);
    if (!fresh.length || !theirs.length) continue;
    const best = theirs.reduce((a, b) => (median(b.seconds) < median(a.seconds) ? b : a));
    for (const f of fresh) {
      const got = median(best.seconds) / median(f.seconds);
      out.push({ name: `${g.key}: ${f.tool.replace(/^netlink-ts /, '')} vs ${best.tool}`, got, met: got >= 1, text: `${got >= 1 ? `${x(got)} faster` : `${x(1 / got)} slower`} (target parity)` });
    }
  }
  return out;
}

export function printTargets(ts: Target[]): string {
  return ['Targets (ratios of medians of wall time, same run):', ...ts.map((t) => `  ${t.met ? 'met   ' : 'MISSED'} ${t.name}: ${t.text}`)].join('\n');
}

function firstLine(cmd: string, args: string[]): string {
  try { return execFileSync(cmd, args, { encoding: 'utf8' }).split('\n')[0]!.trim(); } catch { return 'unknown'; }
}

export interface Machine { cpu: string; cores: number; memoryGiB: number; kernel: string; node: string; iproute2: string; loadAverage: number[] }

export function machine(): Machine {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
    iproute2: firstLine('ip', ['-V']),
    loadAverage: loadavg().map((x) => Number(x.toFixed(2))),
  };
}

/** Three significant digits: the table in the README is read, not parsed. */
const short = (s: number): string =>
  s >= 100 ? `${s.toFixed(0)} s` : s >= 1 ? `${s.toPrecision(3)} s` : s >= 1e-3 ? `${(s * 1e3).toPrecision(3)} ms` : `${(s * 1e6).toPrecision(3)} µs`;

/**
 * The README's table: one line per workload phase, netlink-ts (batched or
 * its only form, then one request at a time) beside iproute2 (one process per
 * command, then -batch), and the best iproute2 time over the best netlink-ts
 * time. Times extrapolated from a sample carry a star.
 */
export function markdownTable(titles: Record<string, string>, rows: Row[]): string {
  // A tool's name is written beside its time unless the column already says it.
  const plain = /\((process per command)\)$|-batch$/;
  const cell = (rs: Row[]): string => rs.map((r) => {
    const label = plain.test(r.tool) ? '' : ` ${r.tool.replace(/^netlink-ts /, '')}`;
    return `${short(median(r.seconds))}${r.scale ? '*' : ''}${label}`;
  }).join('<br>') || '–';
  const lines = [
    '| workload | phase | netlink-ts | netlink-ts, one request at a time | iproute2 (and the C floor), a process per command | iproute2 `-batch` | iproute2 ÷ netlink-ts (fresh process where measured) |',
    '|---|---|---:|---:|---:|---:|---:|',
  ];
  for (const g of groups(rows)) {
    const ours = g.rows.filter((r) => r.tool.startsWith('netlink-ts'));
    const single = ours.filter((r) => r.tool.includes('one at a time'));
    const fast = ours.filter((r) => !single.includes(r));
    const { proc, batch } = baselines(g.rows);
    // Other clients (the C floor) are shown beside iproute2's processes, not counted in the ratio.
    const others = g.rows.filter((r) => !r.tool.startsWith('netlink-ts') && !IPROUTE2.test(r.tool));
    const best = (rs: Row[]): number => Math.min(...rs.map((r) => median(r.seconds)));
    const theirs = [proc, batch].filter((r): r is Row => r !== undefined);
    // Where netlink-ts ran as a fresh process, the ratio is of that row: iproute2 is a fresh process too.
    const fresh = ours.filter((r) => r.tool.endsWith('fresh process)'));
    const x = ours.length && theirs.length ? best(theirs) / best(fresh.length ? fresh : ours) : NaN;
    const ratio = Number.isNaN(x) ? '–' : x >= 1 ? `${x >= 10 ? x.toFixed(0) : x.toFixed(1)}×` : `${x.toFixed(2)}× (slower)`;
    lines.push(`| ${g.workload} ${titles[g.workload] ?? ''} | ${g.phase} | ${cell(fast)} | ${cell(single)} | ${cell([...(proc ? [proc] : []), ...others])} | ${cell(batch ? [batch] : [])} | ${ratio} |`);
  }
  return lines.join('\n');
}

// ── the chart ───────────────────────────────────────────────────────────

const COLORS: [RegExp, string][] = [
  [/fresh process\)/, '#2ca02c'],
  [/batch, warm|route\.list|Promise|route show/, '#1f77b4'],
  [/one at a time|route\.stream|requestSync/, '#6baed6'],
  [/-batch/, '#ff7f0e'],
  [/./, '#d62728'],
];
const colorOf = (tool: string): string => COLORS.find(([re]) => re.test(tool))![1];
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * One panel per workload phase: a horizontal bar per tool, its length the
 * median time on a log scale shared by the panel (times span µs to tens of
 * seconds), the time and the ratio to iproute2 written beside it.
 */
export function chart(title: string, subtitle: string, rows: Row[]): string {
  const gs = groups(rows);
  const W = 960;
  const labelW = 250;
  const barMax = 470;
  const barH = 16;
  const gap = 4;
  const head = 70;
  let y = head;
  const parts: string[] = [];
  for (const g of gs) {
    parts.push(`<text x="12" y="${y + 14}" class="h">${esc(`${g.workload} — ${g.phase}`)}${g.rows[0] ? ` <tspan class="n">(n = ${g.rows[0].n.toLocaleString('en')})</tspan>` : ''}</text>`);
    y += 22;
    const meds = g.rows.map((r) => median(r.seconds));
    const lo = Math.min(...meds) / 3;
    const hi = Math.max(...meds);
    const scale = (s: number): number => Math.max(2, barMax * Math.log(s / lo) / Math.log(hi / lo));
    const { proc, batch } = baselines(g.rows);
    for (const r of g.rows) {
      const m = median(r.seconds);
      const len = scale(m);
      const vs = IPROUTE2.test(r.tool) ? '' : ratio(batch ?? proc, r);
      const note = r.scale ? ' (extrapolated)' : '';
      parts.push(`<text x="${labelW - 8}" y="${y + 12}" class="l" text-anchor="end">${esc(r.tool)}</text>`);
      parts.push(`<rect x="${labelW}" y="${y}" width="${len.toFixed(1)}" height="${barH}" fill="${colorOf(r.tool)}"/>`);
      parts.push(`<text x="${labelW + len + 6}" y="${y + 12}" class="v">${esc(fmt(m))}${note}${vs ? ` · ${esc(vs)}` : ''}</text>`);
      y += barH + gap;
    }
    y += 12;
  }
  const H = y + 10;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">
<style>.t{font-size:18px;font-weight:bold}.s{font-size:12px;fill:#555}.h{font-size:13px;font-weight:bold}.n{font-weight:normal;fill:#555}.l{font-size:12px}.v{font-size:11px;fill:#333}</style>
<rect width="100%" height="100%" fill="#fff"/>
<text x="12" y="26" class="t">${esc(title)}</text>
<text x="12" y="46" class="s">${esc(subtitle)}</text>
<text x="12" y="62" class="s">Median wall time per phase; bars on a log scale within each panel; ratios against ip -batch / tc -batch, else one process per command.</text>
${parts.join('\n')}
</svg>
`;
}
