// ip's -br (print_linkinfo_brief, print_addrinfo brief) and -o (oneline)
// text, made from the same ip -j rows the full text is made from.
import type { Json } from './ip-json/link.js';
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
  for (const a of (r.addr_info as Row[] | undefined) ?? []) {
    if (a.local === undefined) continue;
    line += `${c.address(String(a.local))}${a.address !== undefined ? ` peer ${c.address(String(a.address))}` : ''}/${a.prefixlen} `;
  }
  return line;
}

/** `ip -o address`: one line per address, `INDEX: NAME` before it, its lines joined by a backslash. */
export function addrOneline(r: Row, paint: (text: string) => string = (t) => t): string[] {
  return ((r.addr_info as Row[] | undefined) ?? []).map((a) => addressLines(a)).filter((l) => l.length)
    .map((lines) => `${r.ifindex}: ${r.ifname}${paint(lines.join('\n')).split('\n').join('\\')}`);
}

/** `ip -br neigh`: the address padded to 39, the device to 16 (left out when one device was asked for), the link-layer address. */
export function neighBrief(r: Row): string {
  return `${String(r.dst).padEnd(39)} ${r.dev !== undefined ? `${String(r.dev).padEnd(16)} ` : ''}${r.lladdr ?? ''}`;
}

/** -o: what a printer writes as several lines becomes one, the line breaks turned into backslashes as ip's _SL_. */
export function onelineOutput(out: Output): Output {
  return { line: (text) => out.line(text.split('\n').join('\\')), json: (v) => out.json(v) };
}
