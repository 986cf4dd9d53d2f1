// ip's -br (print_linkinfo_brief, print_addrinfo brief) and -o (oneline)
// text, made from the same ip -j rows the full text is made from.
import { type Json, jsonObjects } from './ip-json/link.js';
import { addressLines } from './ip-json/addr.js';
import type { Output } from './output.js';
import { type BriefPaint, briefPaint } from './colour.js';

const plain = briefPaint(false);

type Row = Record<string, Json | undefined>;

/** `NAME@PEER` padded to 16 and the operational state padded to 14, as every -br line starts. */
function briefHead(r: Row, c: BriefPaint): string {
  const at = r.link === null ? '@NONE' : r.link !== undefined ? `@${r.link}` : r.link_index !== undefined ? `@if${r.link_index}` : '';
  const state = String(r.operstate ?? 'UNKNOWN');
  return `${c.ifname(`${`${r.ifname}${at}`.padEnd(16)} `)}${c.state(state, `${state.padEnd(14)} `)}`;
}

/** `ip -br link`: name, state, link-layer address, flags. */
export function linkBrief(r: Row, c = plain): string {
  return `${briefHead(r, c)}${r.address !== undefined ? c.mac(`${r.address} `) : ''}<${(r.flags as string[]).join(',')}> `;
}

/** `ip -br address`: name, state, then each address as LOCAL[ peer PEER]/LEN. */
export function addrBrief(r: Row, c = plain): string {
  let line = briefHead(r, c);
  for (const a of jsonObjects(r.addr_info)) {
    if (a.local === undefined) continue;
    line += `${c.address(String(a.local))}${a.address !== undefined ? ` peer ${c.address(String(a.address))}` : ''}/${a.prefixlen} `;
  }
  return line;
}

/** print_name_and_link and the state, as `ip -br -j` starts every object. */
function briefHeadJson(r: Row): Row {
  const o: Row = {};
  for (const k of ['link', 'link_index', 'link_netnsid'] as const) if (r[k] !== undefined) o[k] = r[k];
  o.ifname = r.ifname;
  o.operstate = r.operstate;
  return o;
}

/** `ip -br -j link`: name, parent, state, link-layer address, flags (an empty object stays empty). */
export function linkBriefJson(r: Row): Row {
  if (r.ifindex === undefined) return {};
  return { ...briefHeadJson(r), address: r.address, flags: r.flags };
}

/** `ip -br -j address`: name, parent, state, and each address's local[, peer]/prefixlen[, metric]. */
export function addrBriefJson(r: Row): Row {
  if (r.addr_info === undefined) return {};
  const addrInfo = jsonObjects(r.addr_info).map((a): Row => (a.local === undefined ? {}
    : { local: a.local, address: a.address, prefixlen: a.prefixlen, metric: a.metric }));
  return r.ifindex === undefined ? { addr_info: addrInfo } : { ...briefHeadJson(r), addr_info: addrInfo };
}

/** `ip -o address`: one line per address, `INDEX: NAME` before it, its lines joined by a backslash. */
export function addrOneline(r: Row, paint: (text: string) => string = (t) => t): string[] {
  return jsonObjects(r.addr_info).map((a) => addressLines(a)).filter((l) => l.length)
    .map((lines) => `${r.ifindex}: ${r.ifname}${paint(lines.join('\n')).split('\n').join('\\')}`);
}

/** `ip -br neigh`: the address padded to 39, the device to 16 (left out when one device was asked for), the link-layer address. */
export function neighBrief(r: Row): string {
  return `${String(r.dst).padEnd(39)} ${r.dev !== undefined ? `${String(r.dev).padEnd(16)} ` : ''}${r.lladdr ?? ''}`;
}

/** -o: what a printer writes as several lines becomes one, the line breaks turned into backslashes as ip's _SL_. */
export function onelineOutput(out: Output): Output {
  const oneline = (text: string): string => text.split('\n').join('\\');
  return {
    line: (text) => out.line(oneline(text)),
    json: (v) => out.json(v),
    rows: (json) => {
      const rows = out.rows(json);
      return json ? rows : { add: (row) => rows.add(oneline(String(row))), end: () => rows.end() };
    },
  };
}
