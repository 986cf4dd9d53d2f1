// `bridge link show` and `bridge vlan show|tunnelshow`, text and -j, as
// iproute2 6.1's print_linkinfo and print_vlan_info write them.
import { type BridgeVlanEntry, vlansOf } from '../../api/bridge.js';
import * as B from '../../generated/linux/if_bridge.js';
import type { BridgeLink } from '../../rtnl/bridge-link.js';
import { ipLinkFlags } from '../ip-json/link.js';

type Row = { text: string; json: Record<string, unknown> };

export interface LinkPrintContext {
  name(ifindex: number): string;
  /** Whether the link with this index is down (for M-DOWN). */
  down(ifindex: number): boolean;
  details: boolean;
  deleted?: boolean;
}

const STP_STATES = ['disabled', 'listening', 'learning', 'forwarding', 'blocking'];
const onOff = (b: boolean | undefined): string => (b ? 'on' : 'off');

/** One port (or bridge) line of `bridge link show`; undefined for a message bridge skips. */
export function bridgeLinkRow(l: BridgeLink, ctx: LinkPrintContext): Row {
  const json: Record<string, unknown> = {};
  let text = '';
  if (ctx.deleted) { json.deleted = true; text += 'Deleted '; }
  const name = l.name ?? ctx.name(l.index);
  json.ifindex = l.index;
  text += `${l.index}: `;
  let parentDown = false;
  let shown = name;
  if (l.link !== undefined && l.link !== l.index) {
    if (l.link === 0) shown += '@NONE';
    else if (l.linkNetnsid !== undefined) { shown += `@if${l.link}`; json.link_index = l.link; }
    else { shown += `@${ctx.name(l.link)}`; json.link = ctx.name(l.link); parentDown = ctx.down(l.link) && l.flags.includes('up'); }
  }
  json.ifname = name;
  text += `${shown}: `;
  const flags = ipLinkFlags(l.flags, parentDown);
  json.flags = flags;
  text += `<${flags.join(',')}> `;
  if (l.mtu !== undefined) { json.mtu = l.mtu; text += `mtu ${l.mtu} `; }
  if (l.master !== undefined) { json.master = ctx.name(l.master); text += `master ${ctx.name(l.master)} `; }
  const p = l.protinfo;
  if (p) {
    if (p.state !== undefined) {
      const s = typeof p.state === 'number' ? p.state : STP_STATES.indexOf(p.state);
      if (s >= 0 && s < STP_STATES.length) { json.state = STP_STATES[s]; text += `state ${STP_STATES[s]} `; }
      else { json.state = s; text += `state (${s}) `; }
    }
    if (p.priority !== undefined) { json.priority = p.priority; text += `priority ${p.priority} `; }
    if (p.cost !== undefined) { json.cost = p.cost; text += `cost ${p.cost} `; }
    if (ctx.details) {
      text += '\n    ';
      const flag = (key: string, v: boolean | undefined): void => {
        if (v === undefined) return;
        json[key] = v;
        text += `${key} ${onOff(v)} `;
      };
      flag('hairpin', p.hairpin);
      flag('guard', p.guard);
      flag('root_block', p.rootBlock);
      flag('fastleave', p.fastLeave);
      flag('learning', p.learning);
      flag('learning_sync', p.learningSync);
      flag('flood', p.unicastFlood);
      flag('mcast_flood', p.mcastFlood);
      flag('bcast_flood', p.bcastFlood);
      if (p.multicastRouter !== undefined) { json.mcast_router = p.multicastRouter; text += `mcast_router ${p.multicastRouter} `; }
      flag('mcast_to_unicast', p.mcastToUcast);
      flag('neigh_suppress', p.neighSuppress);
      flag('vlan_tunnel', p.vlanTunnel);
      if (p.backupPort !== undefined) { json.backup_port = ctx.name(p.backupPort); text += `backup_port ${ctx.name(p.backupPort)} `; }
      flag('isolated', p.isolated);
      flag('locked', p.locked);
    }
  }
  const mode = l.afSpec?.mode;
  if (mode !== undefined) {
    const m = typeof mode === 'number' ? `0x${mode.toString(16)}` : mode.toUpperCase();
    json.hwmode = m;
    text += `hwmode ${m} `;
  }
  return { text, json };
}

/** The heading of `bridge vlan show` ("%-16s  %-9s"), and tunnelshow's. */
export const VLAN_HEADING = `${'port'.padEnd(16)}  ${'vlan-id'.padEnd(9)}`;
export const TUNNEL_HEADING = `${VLAN_HEADING}  tunnel-id`;

/** The entries bridge prints for a port: a range as first-last, its begin entry folded in (filter_vlan_check). */
function ranges<T extends { vid: number; flags: number }>(items: readonly T[], vid?: number): { start: T; end: T }[] {
  const out: { start: T; end: T }[] = [];
  let start: T | undefined;
  for (const v of items) {
    if (!(v.flags & B.BRIDGE_VLAN_INFO_RANGE_END)) start = v;
    if (vid !== undefined && v.vid > vid && !(v.flags & B.BRIDGE_VLAN_INFO_RANGE_END)) break;
    if (v.flags & B.BRIDGE_VLAN_INFO_RANGE_BEGIN || (vid !== undefined && v.vid < vid)) continue;
    out.push({ start: start ?? v, end: v });
  }
  return out;
}

/** One port's block of `bridge vlan show`: its lines of text and its JSON object; undefined when it has none. */
export function vlanRows(l: BridgeLink, ctx: { name(ifindex: number): string }, vid?: number): Row | undefined {
  const entries = ranges<BridgeVlanEntry>(vlansOf(l), vid);
  if (entries.length === 0) return undefined;
  const name = ctx.name(l.index);
  const lines: string[] = [];
  const vlans = entries.map(({ start, end }, i) => {
    const j: Record<string, unknown> = { vlan: start.vid };
    let t = `${i === 0 ? name : ''}`.padEnd(16) + '  ' + String(start.vid);
    if (start.vid !== end.vid) { j.vlanEnd = end.vid; t += `-${end.vid}`; }
    const flags: string[] = [];
    if (end.flags & B.BRIDGE_VLAN_INFO_PVID) flags.push('PVID');
    if (end.flags & B.BRIDGE_VLAN_INFO_UNTAGGED) flags.push('Egress Untagged');
    if (flags.length > 0) j.flags = flags;
    lines.push(t + flags.map((f) => ` ${f}`).join(''));
    return j;
  });
  return { text: lines.join('\n'), json: { ifname: name, vlans } };
}

/** One port's block of `bridge vlan tunnelshow`. */
export function tunnelRows(l: BridgeLink, ctx: { name(ifindex: number): string }, vid?: number): Row | undefined {
  const items = (l.afSpec?.vlanTunnelInfo ?? []).filter((t) => t.vid !== undefined).map((t) => ({
    vid: t.vid!, id: t.id ?? 0, flags: typeof t.flags === 'number' ? t.flags : (t.flags ?? []).reduce((n, f) => n | (f === 'range_begin' ? B.BRIDGE_VLAN_INFO_RANGE_BEGIN : f === 'range_end' ? B.BRIDGE_VLAN_INFO_RANGE_END : 0), 0),
  }));
  const entries = ranges(items, vid);
  if (entries.length === 0) return undefined;
  const name = ctx.name(l.index);
  const lines: string[] = [];
  const tunnels = entries.map(({ start, end }, i) => {
    const j: Record<string, unknown> = { vlan: start.vid };
    let v = String(start.vid);
    if (start.vid !== end.vid) { j.vlanEnd = end.vid; v += `-${end.vid}`; }
    j.tunid = start.id;
    let t = String(start.id);
    if (start.id !== end.id) { j.tunidEnd = end.id; t += `-${end.id}`; }
    lines.push(`${`${i === 0 ? name : ''}`.padEnd(16)}  ${v.padEnd(9)}  ${t}`);
    return j;
  });
  return { text: lines.join('\n'), json: { ifname: name, tunnels } };
}
