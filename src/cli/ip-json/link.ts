// A link in the shape `ip -j link show` prints, so scripts can swap `ip` for
// us and tests can compare the two field by field. Key order follows iproute2.
import { readFileSync } from 'node:fs';
import type { Link } from '../../route/link.js';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json | undefined };

/** /etc/iproute2/group: 0 is "default" unless the file says otherwise. */
let groupNames: Map<number, string> | undefined;
function groupName(id: number): string | number {
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
  return groupNames.get(id) ?? id;
}

/** ip prints flags upper-case, RUNNING folded into NO-CARRIER (up but not running). */
export function ipLinkFlags(flags: readonly string[], parentDown = false): string[] {
  const out: string[] = [];
  if (flags.includes('up') && !flags.includes('running')) out.push('NO-CARRIER');
  for (const f of flags) if (f !== 'running') out.push(f.startsWith('0x') ? f : f.toUpperCase());
  // "M-DOWN": the link this one stands on (IFLA_LINK) is down.
  if (parentDown) out.push('M-DOWN');
  return out;
}

export interface LinkJsonOptions {
  stats?: boolean;
  /** Finds another link of this namespace by index (for "link", "master" and M-DOWN). */
  linkOf?: (index: number) => Link | undefined;
}

export function linkToIpJson(l: Link, opts: LinkJsonOptions = {}): Record<string, Json | undefined> {
  const o: Record<string, Json | undefined> = {};
  o.ifindex = l.index;
  const parent = l.link !== undefined && l.linkNetnsid === undefined ? opts.linkOf?.(l.link) : undefined;
  if (parent?.name !== undefined) o.link = parent.name;
  else if (l.link !== undefined) o.link_index = l.link;
  o.ifname = l.name;
  o.flags = ipLinkFlags(l.flags.map(String), parent !== undefined && !parent.flags.includes('up'));
  if (l.mtu !== undefined) o.mtu = l.mtu;
  if (l.qdisc !== undefined) o.qdisc = l.qdisc;
  if (l.master !== undefined) o.master = opts.linkOf?.(l.master)?.name ?? l.master;
  if (l.operstate !== undefined) o.operstate = String(l.operstate).toUpperCase();
  if (l.linkmode !== undefined) o.linkmode = String(l.linkmode).toUpperCase();
  if (l.group !== undefined) o.group = groupName(l.group);
  if (l.txqlen !== undefined) o.txqlen = l.txqlen;
  o.link_type = typeof l.type === 'number' ? `[${l.type}]` : l.type;
  if (l.address !== undefined) o.address = l.address;
  if (l.broadcast !== undefined) o.broadcast = l.broadcast;
  if (l.permAddress !== undefined && l.permAddress !== l.address) o.permaddr = l.permAddress;
  if (l.linkNetnsid !== undefined) o.link_netnsid = l.linkNetnsid;
  if (l.propList?.altNames?.length) o.altnames = l.propList.altNames;
  if (opts.stats && l.stats64) {
    const s = l.stats64;
    o.stats64 = {
      rx: { bytes: s.rx_bytes, packets: s.rx_packets, errors: s.rx_errors, dropped: s.rx_dropped, over_errors: s.rx_over_errors, multicast: s.multicast },
      tx: { bytes: s.tx_bytes, packets: s.tx_packets, errors: s.tx_errors, dropped: s.tx_dropped, carrier_errors: s.tx_carrier_errors, collisions: s.collisions },
    };
  }
  return o;
}

/**
 * The two-line text form of `ip link show`; `ip monitor` prints the same
 * without mode and qlen, and "@NONE" for a parent it cannot name. netnsName
 * turns a link-netnsid into the name ip shows (link-netns NAME).
 */
export function linkToText(j: Record<string, Json | undefined>, monitor = false, netnsName?: (nsid: number) => string | undefined): string {
  const at = j.link !== undefined ? `@${j.link}` : j.link_index !== undefined ? (monitor ? '@NONE' : `@if${j.link_index}`) : '';
  const parts = [`${j.ifindex}: ${j.ifname}${at}:`];
  parts.push(`<${(j.flags as string[]).join(',')}>`);
  const fields = [['mtu', 'mtu'], ['qdisc', 'qdisc'], ['master', 'master'], ['operstate', 'state'], ['linkmode', 'mode'], ['group', 'group'], ['txqlen', 'qlen']] as const;
  for (const [key, label] of fields) {
    if (monitor && (key === 'linkmode' || key === 'txqlen')) continue;
    if (j[key] !== undefined) parts.push(`${label} ${j[key]}`);
  }
  let second = `    link/${j.link_type}`;
  if (j.address !== undefined) second += ` ${j.address}`;
  if (j.broadcast !== undefined) second += ` brd ${j.broadcast}`;
  if (j.link_netnsid !== undefined) {
    const name = netnsName?.(j.link_netnsid as number);
    second += name !== undefined ? ` link-netns ${name}` : ` link-netnsid ${j.link_netnsid}`;
  }
  let text = `${parts.join(' ')}\n${second}`;
  if (j.altnames) text += `\n${(j.altnames as string[]).map((n) => `    altname ${n}`).join('\n')}`;
  const st = j.stats64 as { rx: Record<string, number>; tx: Record<string, number> } | undefined;
  if (st) {
    text += `\n    RX:  bytes packets errors dropped  missed   mcast\n    ${[st.rx.bytes, st.rx.packets, st.rx.errors, st.rx.dropped, st.rx.over_errors, st.rx.multicast].map((n) => String(n).padStart(7)).join(' ')}`;
    text += `\n    TX:  bytes packets errors dropped carrier collsns\n    ${[st.tx.bytes, st.tx.packets, st.tx.errors, st.tx.dropped, st.tx.carrier_errors, st.tx.collisions].map((n) => String(n).padStart(7)).join(' ')}`;
  }
  return text;
}
