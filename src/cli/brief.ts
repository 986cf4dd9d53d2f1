// ip's -br (print_linkinfo_brief, print_addrinfo brief) and -o (oneline)
// text, made from the same ip -j rows the full text is made from.
import type { Json } from './ip-json/link.js';
import { addressLines } from './ip-json/addr.js';
import type { Output } from './output.js';

type Row = Record<string, Json | undefined>;

/** `NAME@PEER` padded to 16 and the operational state padded to 14, as every -br line starts. */
function briefHead(r: Row): string {
  const at = r.link === null ? '@NONE' : r.link !== undefined ? `@${r.link}` : r.link_index !== undefined ? `@if${r.link_index}` : '';
  return `${`${r.ifname}${at}`.padEnd(16)} ${String(r.operstate ?? 'UNKNOWN').padEnd(14)} `;
}

/** `ip -br link`: name, state, link-layer address, flags. */
export function linkBrief(r: Row): string {
  return `${briefHead(r)}${r.address !== undefined ? `${r.address} ` : ''}<${(r.flags as string[]).join(',')}> `;
}

/** `ip -br address`: name, state, then each address as LOCAL[ peer PEER]/LEN. */
export function addrBrief(r: Row): string {
  let line = briefHead(r);
  for (const a of (r.addr_info as Row[] | undefined) ?? []) {
    if (a.local === undefined) continue;
    line += `${a.local}${a.address !== undefined ? ` peer ${a.address}` : ''}/${a.prefixlen} `;
  }
  return line;
}

/** `ip -o address`: one line per address, `INDEX: NAME` before it, its lines joined by a backslash. */
export function addrOneline(r: Row): string[] {
  return ((r.addr_info as Row[] | undefined) ?? []).map((a) => addressLines(a)).filter((l) => l.length)
    .map((lines) => `${r.ifindex}: ${r.ifname}${lines.join('\\')}`);
}

/** -o: what a printer writes as several lines becomes one, the line breaks turned into backslashes as ip's _SL_. */
export function onelineOutput(out: Output): Output {
  return { line: (text) => out.line(text.split('\n').join('\\')), json: (v) => out.json(v) };
}
