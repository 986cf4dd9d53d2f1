// A link in the shape `ip -j link show` prints, so scripts can swap `ip` for
// us and tests can compare the two field by field. Key order follows iproute2.
import { jsonStrings } from './json-read.js';
import { readFileSync } from 'node:fs';
import { formatIP } from '../../netlink/ip.js';
import type { Link } from '../../rtnl/link.js';

import type { Json } from '../../rtnl/link-kinds/kind.js';
import { vfInfoJson } from './link-vf.js';

export type { Json };

/** The objects of a JSON array field (`addr_info`...), typed without a cast; anything else is no objects. */
export function jsonObjects(v: Json | undefined): Record<string, Json | undefined>[] {
  return Array.isArray(v) ? v.filter((x): x is Record<string, Json | undefined> => typeof x === 'object' && x !== null && !Array.isArray(x)) : [];
}

/** /etc/iproute2/group: 0 is "default" unless the file says otherwise. */
let groupNames: Map<number, string> | undefined;
function groupName(id: number): string {
  if (!groupNames) {
    groupNames = new Map([[0, 'default']]);
    for (const path of ['/etc/iproute2/group', '/usr/share/iproute2/group']) {
      try {
        for (const line of readFileSync(path, 'utf8').split('\n')) {
          const m = /^\s*(\d+)\s+(\S+)/.exec(line);
          if (m) groupNames.set(Number(m[1]), m[2]!);
        }
        break;
      } catch { /* not there: keep the default */ }
    }
  }
  return groupNames.get(id) ?? String(id);
}

/**
 * ip prints flags upper-case, RUNNING folded into NO-CARRIER (up but not
 * running), and the bits it has no name for as one hex number.
 */
export function ipLinkFlags(flags: readonly string[], parentDown = false): string[] {
  const out: string[] = [];
  if (flags.includes('up') && !flags.includes('running')) out.push('NO-CARRIER');
  let unnamed = 0;
  for (const f of flags) {
    if (f.startsWith('0x')) unnamed |= parseInt(f, 16);
    else if (f !== 'running') out.push(f.toUpperCase());
  }
  if (unnamed) out.push((unnamed >>> 0).toString(16));
  // "M-DOWN": the link this one stands on (IFLA_LINK) is down.
  if (parentDown) out.push('M-DOWN');
  return out;
}

export interface LinkJsonOptions {
  stats?: boolean;
  /** Finds another link of this namespace by index (for "link", "master" and M-DOWN). */
  linkOf?: (index: number) => Link | undefined;
  /** The keys `ip -d` adds after the link's namespace id (see ip-json/link-details.ts). */
  details?: (l: Link) => Record<string, Json | undefined>;
}

export function linkToIpJson(l: Link, opts: LinkJsonOptions = {}): Record<string, Json | undefined> {
  const o: Record<string, Json | undefined> = {};
  o.ifindex = l.index;
  // print_name_and_link(): the parent by name unless it lives in another namespace.
  let parentDown = false;
  if (l.link !== undefined) {
    if (l.link === 0) o.link = null;
    else if (l.linkNetnsid !== undefined) o.link_index = l.link;
    else {
      const parent = opts.linkOf?.(l.link);
      o.link = parent?.name ?? `if${l.link}`;
      parentDown = !parent?.flags.includes('up');
    }
  }
  // ip names a link the kernel sent without IFLA_IFNAME by its index (ll_idx_n2a).
  o.ifname = l.name ?? `if${l.index}`;
  o.flags = ipLinkFlags(l.flags.map(String), parentDown);
  if (l.mtu !== undefined) o.mtu = l.mtu;
  if (l.qdisc !== undefined) o.qdisc = l.qdisc;
  if (l.master !== undefined) o.master = opts.linkOf?.(l.master)?.name ?? `if${l.master}`;
  if (l.operstate !== undefined) o.operstate = String(l.operstate).toUpperCase();
  if (l.linkmode !== undefined) o.linkmode = String(l.linkmode).toUpperCase();
  if (l.group !== undefined) o.group = groupName(l.group);
  if (l.txqlen !== undefined) o.txqlen = l.txqlen;
  o.link_type = typeof l.type === 'number' ? `[${l.type}]` : l.type;
  if (l.address !== undefined) o.address = llAddress(l.address, l.type);
  if (l.broadcast !== undefined) {
    if (l.flags.includes('pointopoint')) o.link_pointtopoint = true;
    o.broadcast = llAddress(l.broadcast, l.type);
  }
  if (l.permAddress !== undefined && l.permAddress !== l.address) o.permaddr = llAddress(l.permAddress, l.type);
  if (l.linkNetnsid !== undefined) o.link_netnsid = l.linkNetnsid;
  if (l.protoDown) o.proto_down = true;
  if (opts.details) Object.assign(o, opts.details(l));
  if (l.alias !== undefined) o.ifalias = l.alias;
  if (opts.stats && l.stats64) {
    const s = l.stats64;
    o.stats64 = {
      rx: { bytes: s.rx_bytes, packets: s.rx_packets, errors: s.rx_errors, dropped: s.rx_dropped, over_errors: s.rx_over_errors, multicast: s.multicast },
      tx: { bytes: s.tx_bytes, packets: s.tx_packets, errors: s.tx_errors, dropped: s.tx_dropped, carrier_errors: s.tx_carrier_errors, collisions: s.collisions },
    };
  }
  const vfs = vfInfoJson(l);
  if (vfs) o.vfinfo_list = vfs;
  if (l.propList) o.altnames = l.propList.altNames ?? [];
  return o;
}

/** ll_addr_n2a(): the addresses of IP tunnels are IP addresses, the rest colon-separated hex. */
function llAddress(hw: string, type: Link['type']): string {
  const bytes = hw === '' ? [] : hw.split(':').map((h) => parseInt(h, 16));
  if (bytes.length === 4 && (type === 'ipip' || type === 'sit' || type === 'gre')) return bytes.join('.');
  if (bytes.length === 16 && (type === 'tunnel6' || type === 'gre6')) return formatIP(Buffer.from(bytes));
  return hw;
}

/**
 * The two-line text form of `ip link show`; `ip monitor` prints the same
 * without mode and qlen, and "@NONE" for a parent it cannot name. netnsName
 * turns a link-netnsid into the name ip shows (link-netns NAME).
 */
export function linkToText(j: Record<string, Json | undefined>, monitor = false, netnsName?: (nsid: number) => string | undefined): string {
  const at = j.link === null ? '@NONE' : j.link !== undefined ? `@${j.link}` : j.link_index !== undefined ? (monitor ? '@NONE' : `@if${j.link_index}`) : '';
  const parts = [`${j.ifindex}: ${j.ifname}${at}:`];
  parts.push(`<${jsonStrings(j.flags).join(',')}>`);
  const fields = [['mtu', 'mtu'], ['qdisc', 'qdisc'], ['master', 'master'], ['operstate', 'state'], ['linkmode', 'mode'], ['group', 'group'], ['txqlen', 'qlen']] as const;
  for (const [key, label] of fields) {
    if (monitor && (key === 'linkmode' || key === 'txqlen')) continue;
    if (j[key] !== undefined) parts.push(`${label} ${j[key]}`);
  }
  let second = `    link/${j.link_type} ${j.address ?? ''}`;
  if (j.broadcast !== undefined) second += ` ${j.link_pointtopoint ? 'peer' : 'brd'} ${j.broadcast}`;
  if (j.link_netnsid !== undefined) {
    // Like ip: the peer's namespace by name when one of /run/netns is it.
    const name = netnsName?.(j.link_netnsid as number);
    second += name !== undefined ? ` link-netns ${name}` : ` link-netnsid ${j.link_netnsid}`;
  }
  let text = `${parts.join(' ')}\n${second}`;
  if (j.ifalias !== undefined) text += `\n    alias ${j.ifalias}`;
  const st = j.stats64 as { rx: Record<string, number>; tx: Record<string, number> } | undefined;
  if (st) {
    text += `\n    RX:  bytes packets errors dropped  missed   mcast\n    ${[st.rx.bytes, st.rx.packets, st.rx.errors, st.rx.dropped, st.rx.over_errors, st.rx.multicast].map((n) => String(n).padStart(7)).join(' ')}`;
    text += `\n    TX:  bytes packets errors dropped carrier collsns\n    ${[st.tx.bytes, st.tx.packets, st.tx.errors, st.tx.dropped, st.tx.carrier_errors, st.tx.collisions].map((n) => String(n).padStart(7)).join(' ')}`;
  }
  if (j.altnames) text += jsonStrings(j.altnames).map((n) => `\n    altname ${n}`).join('');
  return text;
}
