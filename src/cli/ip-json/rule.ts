// A rule in the shape `ip -j rule show` prints, and the rules that command
// selects. Key order follows iproute2 (ip/iprule.c, print_rule).
import { type PrefixSelector, addressInPrefix } from '../prefix-match.js';
import { routeProtocols, routeTables } from '../../rtnl/names.js';
import type { Rule } from '../../rtnl/rule.js';
import { dsfieldNames, groupNames, ipProtocolNames, protocolNames, realmNames, tableNames } from './iproute2-names.js';
import type { Json } from './link.js';

const hex = (n: number): string => (n === 0 ? '0' : `0x${n.toString(16)}`);

/** The table id a rule looks up: FRA_TABLE, else the header's. */
function tableId(r: Rule): number {
  return routeTables.encode(r.table ?? r.headerTable, 'table');
}

const ACTION_TEXT: Record<string, string> = { unspec: 'none', blackhole: 'blackhole', unreachable: 'unreachable', prohibit: 'prohibit' };

/** A selector prefix as print_rule writes it: the address, its length unless a host's; "0" and the length without an address. */
function prefixJson(o: Record<string, Json | undefined>, key: 'src' | 'dst', addr: string | undefined, len: number, hostLen: number): void {
  if (addr === undefined && !len) return;
  o[key] = addr ?? '0';
  if (addr === undefined || len !== hostLen) o[`${key}len`] = len;
}

export function ruleToIpJson(r: Rule, opts: { details?: boolean } = {}): Record<string, Json | undefined> {
  const o: Record<string, Json | undefined> = {};
  const hostLen = r.family === 'inet6' ? 128 : r.family === 'inet' ? 32 : -1;
  o.priority = r.priority ?? 0;
  if (r.flags.includes('invert')) o.not = null;
  prefixJson(o, 'src', r.src, r.srcLen, hostLen);
  if (!('src' in o)) o.src = 'all';
  prefixJson(o, 'dst', r.dst, r.dstLen, hostLen);
  if (r.tos) o.tos = dsfieldNames.name(r.tos);
  if (r.fwmark !== undefined || r.fwmask !== undefined) {
    o.fwmark = hex(r.fwmark ?? 0);
    if (r.fwmask !== undefined && r.fwmask !== 0xffffffff) o.fwmask = hex(r.fwmask);
  }
  if (r.iif !== undefined) {
    o.iif = r.iif;
    if (r.flags.includes('iif_detached')) o.iif_detached = null;
  }
  if (r.oif !== undefined) {
    o.oif = r.oif;
    if (r.flags.includes('oif_detached')) o.oif_detached = null;
  }
  if (r.l3mdev) o.l3mdev = null;
  if (r.uidRange) {
    o.uid_start = r.uidRange.start;
    o.uid_end = r.uidRange.end;
  }
  if (r.ipProto !== undefined) o.ipproto = ipProtocolNames.name(r.ipProto);
  for (const [key, range] of [['sport', r.sportRange], ['dport', r.dportRange]] as const) {
    if (!range) continue;
    if (range.start === range.end) o[key] = range.start;
    else { o[`${key}_start`] = range.start; o[`${key}_end`] = range.end; }
  }
  if (r.tunId !== undefined) o.tun_id = r.tunId;
  const table = tableId(r);
  if (table) {
    o.table = tableNames.name(table);
    if (r.suppressPrefixlength !== undefined) o.suppress_prefixlen = r.suppressPrefixlength;
    if (r.suppressIfgroup !== undefined) o.suppress_ifgroup = groupNames.name(r.suppressIfgroup);
  }
  if (r.flow !== undefined) {
    const from = r.flow >>> 16;
    if (from) o.flow_from = realmNames.name(from);
    o.flow_to = realmNames.name(r.flow & 0xffff);
  }
  if (r.action === 'goto') {
    o.goto = r.goto ?? 'none';
    if (r.flags.includes('unresolved')) o.unresolved = null;
  } else if (r.action === 'nop') {
    o.nop = null;
  } else if (r.action !== 'to_tbl') {
    o.action = ACTION_TEXT[r.action] ?? String(r.action);
  }
  const proto = r.protocol === undefined ? undefined : routeProtocols.encode(r.protocol, 'protocol');
  if (proto !== undefined && ((proto && proto !== 2) || opts.details)) o.protocol = protocolNames.name(proto);
  return o;
}

/** The text line of `ip rule show`. */
export function ruleToText(j: Record<string, Json | undefined>): string {
  let s = `${j.priority}:\t`;
  if ('not' in j) s += 'not ';
  s += `from ${j.src}${j.srclen !== undefined ? `/${j.srclen}` : ''}`;
  if (j.dst !== undefined) s += ` to ${j.dst}${j.dstlen !== undefined ? `/${j.dstlen}` : ''}`;
  if (j.tos !== undefined) s += ` tos ${j.tos}`;
  if (j.fwmark !== undefined) s += ` fwmark ${j.fwmark}${j.fwmask !== undefined ? `/${j.fwmask}` : ''}`;
  if (j.iif !== undefined) s += ` iif ${j.iif}${'iif_detached' in j ? ' [detached]' : ''}`;
  if (j.oif !== undefined) s += ` oif ${j.oif}${'oif_detached' in j ? ' [detached]' : ''}`;
  if ('l3mdev' in j) s += ' lookup [l3mdev-table]';
  if (j.uid_start !== undefined) s += ` uidrange ${j.uid_start}-${j.uid_end}`;
  if (j.ipproto !== undefined) s += ` ipproto ${j.ipproto}`;
  for (const k of ['sport', 'dport']) {
    if (j[k] !== undefined) s += ` ${k} ${j[k]}`;
    else if (j[`${k}_start`] !== undefined) s += ` ${k} ${j[`${k}_start`]}-${j[`${k}_end`]}`;
  }
  if (j.tun_id !== undefined) s += ` tun_id ${j.tun_id}`;
  if (j.table !== undefined) s += ` lookup ${j.table}`;
  if (j.suppress_prefixlen !== undefined) s += ` suppress_prefixlength ${j.suppress_prefixlen}`;
  if (j.suppress_ifgroup !== undefined) s += ` suppress_ifgroup ${j.suppress_ifgroup}`;
  if (j.flow_to !== undefined) s += ` realms ${j.flow_from !== undefined ? `${j.flow_from}/` : ''}${j.flow_to}`;
  if (j.goto !== undefined) s += ` goto ${j.goto}${'unresolved' in j ? ' [unresolved]' : ''}`;
  if ('nop' in j) s += ' nop';
  if (j.action !== undefined) s += ` ${j.action}`;
  if (j.protocol !== undefined) s += ` proto ${j.protocol}`;
  return s;
}

/** `ip rule show SELECTOR`: the selection print_rule makes (filter_nlmsg). */
export interface RuleView {
  priority?: number;
  not?: boolean;
  from?: PrefixSelector;
  to?: PrefixSelector;
  tos?: number;
  fwmark?: number;
  fwmask?: number;
  iif?: string;
  oif?: string;
  l3mdev?: boolean;
  table?: number;
}

function prefixMatch(p: PrefixSelector, r: Rule, addr: string | undefined, len: number): boolean {
  if (r.family !== (p.family === 4 ? 'inet' : 'inet6') || p.length > len) return false;
  // inet_addr_match_rta: a rule without the address matches.
  return addr === undefined || addressInPrefix(addr, p);
}

export function ruleShown(r: Rule, v: RuleView): boolean {
  if (v.priority !== undefined && v.priority !== (r.priority ?? 0)) return false;
  if (v.not && !r.flags.includes('invert')) return false;
  if (v.from && !prefixMatch(v.from, r, r.src, r.srcLen)) return false;
  if (v.to && !prefixMatch(v.to, r, r.dst, r.dstLen)) return false;
  if (v.tos !== undefined && v.tos !== r.tos) return false;
  if (v.fwmark && v.fwmark !== (r.fwmark ?? 0)) return false;
  if (v.fwmask && v.fwmask !== (r.fwmask ?? 0)) return false;
  if (v.iif !== undefined && v.iif !== r.iif) return false;
  if (v.oif !== undefined && v.oif !== r.oif) return false;
  if (v.l3mdev && !r.l3mdev) return false;
  if (v.table && v.table !== tableId(r)) return false;
  return true;
}
