// The bridge verbs (`bridge fdb|link|vlan`, docs/bridge.md): forwarding
// database entries are neighbour messages of family AF_BRIDGE; port options
// and VLAN entries are AF_BRIDGE link messages (src/rtnl/bridge-link.ts).
// Requests are built as iproute2 6.1's bridge builds them, attribute for
// attribute, so the bytes match its (test/fixtures/iproute2/bridge/).
// The client's verbs (nl.bridge) are derived from the descriptors in
// families/bridge.ts.
import * as B from '../generated/linux/if_bridge.js';
import { NLM_F_APPEND, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE } from '../generated/linux/netlink.js';
import { RTEXT_FILTER_BRVLAN, RTM_DELLINK, RTM_DELNEIGH, RTM_GETLINK, RTM_GETNEIGH, RTM_NEWNEIGH, RTM_SETLINK } from '../generated/linux/rtnetlink.js';
import { describe } from '../netlink/describe.js';
import { EncodeError } from '../netlink/errors.js';
import { parseIP } from '../netlink/ip.js';
import type { Request } from '../netlink/request.js';
import { type BridgeLink, type BridgeLinkMessageInput, bridgeLinkMessage } from '../rtnl/bridge-link.js';
import type { bridgePortData } from '../rtnl/link-kinds/bridge.js';
import { type Neighbour, type NeighbourInput, neighbourMessage } from '../rtnl/neighbour.js';
import { type MdbEntryInfo, type MdbSetInput, mdbSetMessage } from '../rtnl/bridge-mdb.js';
import { RTM_DELMDB, RTM_GETMDB, RTM_NEWMDB } from '../generated/linux/rtnetlink.js';
import type { AttrsIn } from '../netlink/schema.js';
import { type LinkRef, checkLinkRef } from './link-spec.js';

/** An FDB entry as the kernel reports it: a neighbour of family 'bridge'. */
export type FdbEntry = Neighbour;

/** An FDB entry's state, as `bridge fdb add` words it: 'permanent' (local, NUD_PERMANENT), 'static' (never ages), 'dynamic' (ages out). */
export type FdbState = 'permanent' | 'static' | 'dynamic';

/** What `bridge fdb add|append|replace|del` takes. */
export interface FdbInput {
  /** The MAC address of the entry. */
  lladdr: string;
  /** The port (or the vxlan device) it is on. */
  dev: LinkRef;
  /** In the device's own table (NTF_SELF). The default when neither self nor master is given, as bridge's. */
  self?: boolean;
  /** In the master bridge's table (NTF_MASTER). */
  master?: boolean;
  router?: boolean;
  use?: boolean;
  externLearn?: boolean;
  sticky?: boolean;
  /** Default 'permanent' (bridge's "local"/"permanent"); 'static' never ages; 'dynamic' ages. */
  state?: FdbState;
  vlan?: number;
  /** The remote of a vxlan entry. */
  dst?: string;
  port?: number;
  vni?: number;
  srcVni?: number;
  /** The device the vxlan remote is reached through. */
  via?: LinkRef;
  /** A nexthop group instead of dst/port/vni. */
  nhid?: number;
}

/** What `nl.bridge.fdb.list()` keeps (`bridge fdb show [br BR] [dev DEV] [vlan VID] [state STATE]`). */
export interface FdbListFilter {
  /** Entries of this bridge's ports (kernel-side filter). */
  br?: LinkRef;
  /** Entries on this port or device (kernel-side filter). */
  dev?: LinkRef;
  /** Only entries of this VLAN id. */
  vlan?: number;
  /** Only entries in this state. */
  state?: FdbState | 'stale';
}

/** The FDB's change verbs, as `bridge fdb` names them (`delete` for `del`). */
export type FdbVerb = 'add' | 'append' | 'replace' | 'delete';

/** The port options `bridge link set` changes. */
export type BridgePortOption = 'guard' | 'hairpin' | 'fastLeave' | 'rootBlock' | 'unicastFlood' | 'multicastRouter' | 'mcastFlood' | 'bcastFlood'
  | 'mcastToUcast' | 'learning' | 'learningSync' | 'cost' | 'priority' | 'state' | 'neighSuppress' | 'vlanTunnel' | 'isolated' | 'locked' | 'backupPort';

/** The bridge port options `bridge link set` changes (IFLA_BRPORT_*), named as link info's port data. */
export type BridgePortInput = Pick<AttrsIn<typeof bridgePortData.specs>, BridgePortOption> & {
  /** Where the change applies: the bridge (master, default) or the device (self). */
  self?: boolean;
  master?: boolean;
  /** Hardware mode of a self-managed port (sets self). */
  hwmode?: 'veb' | 'vepa';
};

/** The order bridge 6.1 writes port options in (brlink_modify): the bytes follow it. */
const PORT_ORDER = [
  'guard', 'hairpin', 'fastLeave', 'rootBlock', 'unicastFlood', 'multicastRouter', 'mcastFlood', 'bcastFlood', 'mcastToUcast',
  'learning', 'learningSync', 'cost', 'priority', 'state', 'neighSuppress', 'vlanTunnel', 'isolated', 'locked', 'backupPort',
] as const satisfies readonly BridgePortOption[];

/** A VLAN entry or range (`bridge vlan add|del`), or a VLAN-to-tunnel map (`tunnel_info id N`). */
export interface BridgeVlanInput {
  dev: LinkRef;
  vid: number;
  /** The last VLAN of a range vid..vidEnd. */
  vidEnd?: number;
  /** Untagged frames entering the port get this VLAN (not for a range). */
  pvid?: boolean;
  /** Frames leave the port untagged. */
  untagged?: boolean;
  /** On the device itself (a bridge's own VLANs: self on the bridge). */
  self?: boolean;
  master?: boolean;
  /** Map the VLAN (range) to this tunnel id (range): `tunnel_info id N[-M]`. */
  tunnelId?: number;
  tunnelIdEnd?: number;
}

/** One VLAN of a port as `bridge vlan show` lists it (ranges expanded into their first and last entries as the kernel sends them). */
export interface BridgeVlanEntry {
  vid: number;
  flags: number;
}

const MAC = /^[0-9a-f]{1,2}(:[0-9a-f]{1,2}){5}$/i;

function int(v: unknown, path: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new EncodeError(path, `expected a whole number from ${min} to ${max}, got ${describe(v)}`);
  return v;
}

function bool(v: unknown, path: string): boolean | undefined {
  if (v !== undefined && typeof v !== 'boolean') throw new EncodeError(path, `expected true or false, got ${describe(v)}`);
  return v;
}

const FDB_KEYS = new Set(['lladdr', 'dev', 'self', 'master', 'router', 'use', 'externLearn', 'sticky', 'state', 'vlan', 'dst', 'port', 'vni', 'srcVni', 'via', 'nhid']);

/** The neighbour message of an FDB change, as bridge's fdb_modify builds it (pure; dev and via as indexes). */
export function fdbMessage(input: FdbInput, ifindex: number, via?: number, path = 'fdb'): NeighbourInput {
  if (input === null || typeof input !== 'object') throw new EncodeError(path, `expected { lladdr, dev, ... }, got ${describe(input)}`);
  for (const k of Object.keys(input)) if (!FDB_KEYS.has(k)) throw new EncodeError(`${path}.${k}`, `unknown option (known: ${[...FDB_KEYS].join(', ')})`);
  if (typeof input.lladdr !== 'string' || !MAC.test(input.lladdr)) throw new EncodeError(`${path}.lladdr`, `expected a MAC address like 02:00:00:00:00:01, got ${describe(input.lladdr)}`);
  const flags: string[] = [];
  if (bool(input.self, `${path}.self`)) flags.push('self');
  if (bool(input.master, `${path}.master`)) flags.push('master');
  if (bool(input.router, `${path}.router`)) flags.push('router');
  if (bool(input.use, `${path}.use`)) flags.push('use');
  if (bool(input.externLearn, `${path}.externLearn`)) flags.push('extern_learn');
  if (bool(input.sticky, `${path}.sticky`)) flags.push('sticky');
  if (!input.self && !input.master) flags.push('self');
  const state = input.state ?? 'permanent';
  const states = { permanent: ['noarp', 'permanent'], static: ['noarp', 'reachable'], dynamic: ['reachable'] } as const;
  if (!Object.hasOwn(states, state)) throw new EncodeError(`${path}.state`, `expected 'permanent', 'static' or 'dynamic', got ${describe(state)}`);
  if (input.nhid !== undefined && (input.dst !== undefined || input.port !== undefined || input.vni !== undefined)) {
    throw new EncodeError(`${path}.nhid`, 'dst, port, vni are mutually exclusive with nhid');
  }
  const m: NeighbourInput = { family: 'bridge', ifindex, state: [...states[state]], flags: flags as NeighbourInput['flags'] };
  m.lladdr = input.lladdr;
  if (input.dst !== undefined) { parseIP(input.dst, `${path}.dst`); m.address = input.dst; }
  if (input.vlan !== undefined) m.vlan = int(input.vlan, `${path}.vlan`, 0, 4095);
  if (input.nhid !== undefined && input.nhid !== 0) m.nhId = int(input.nhid, `${path}.nhid`, 1, 0xffffffff);
  if (input.port !== undefined && input.port !== 0) m.port = int(input.port, `${path}.port`, 0, 0xffff);
  if (input.vni !== undefined) m.vni = int(input.vni, `${path}.vni`, 0, 0xffffff);
  if (input.srcVni !== undefined) m.srcVni = int(input.srcVni, `${path}.srcVni`, 0, 0xffffff);
  if (via !== undefined) m.via = via;
  return m;
}

const FDB_FLAGS: Record<FdbVerb, number> = { add: NLM_F_CREATE | NLM_F_EXCL, append: NLM_F_CREATE | NLM_F_APPEND, replace: NLM_F_CREATE | NLM_F_REPLACE, delete: 0 };

export function fdbRequest(verb: FdbVerb, m: NeighbourInput): Request {
  return {
    type: verb === 'delete' ? RTM_DELNEIGH : RTM_NEWNEIGH, flags: FDB_FLAGS[verb], headerSize: neighbourMessage.headerSize, expectReply: false,
    operation: `bridge fdb ${verb === 'delete' ? 'del' : verb} ${m.lladdr}`, body: (w) => neighbourMessage.encodePayload(w, m, 'fdb'),
  };
}

/** The FDB dump, as bridge fdb show asks for it on a strict-checking kernel (ndm_ifindex, NDA_MASTER). */
export function fdbListRequest(ifindex?: number, master?: number): Request {
  const m: NeighbourInput = { family: 'bridge', ifindex: ifindex ?? 0 };
  if (master !== undefined) m.master = master;
  return { type: RTM_GETNEIGH, headerSize: neighbourMessage.headerSize, operation: 'bridge fdb show', body: (w) => neighbourMessage.encodePayload(w, m, 'fdb') };
}

const FDB_STATE_BITS = { permanent: 0x80, static: 0x40, stale: 0x04, dynamic: 0x02 } as const;

/** Whether an entry passes a listing's filters that the kernel does not apply (bridge's print_fdb filters). */
export function fdbKeep(e: FdbEntry, filter: FdbListFilter): boolean {
  if (e.family !== 'bridge') return false;
  if (filter.vlan !== undefined && (e.vlan ?? 0) !== filter.vlan) return false;
  if (filter.state !== undefined) {
    const bit = FDB_STATE_BITS[filter.state];
    if (!(stateBits(e) & bit)) return false;
  }
  return true;
}

/** ndm_state as the kernel sent it (kept by the decoder). */
export function stateBits(e: FdbEntry): number {
  return neighbourMessage.numbersOf(e).state;
}

/** A bridge link message (pure): the port options as bridge 6.1 orders them, then IFLA_AF_SPEC when self/master/hwmode is given. */
export function bridgePortMessage(index: number, input: BridgePortInput, path = 'port'): BridgeLinkMessageInput {
  if (input === null || typeof input !== 'object') throw new EncodeError(path, `expected port options, got ${describe(input)}`);
  const known = new Set<string>([...PORT_ORDER, 'self', 'master', 'hwmode']);
  for (const k of Object.keys(input)) if (!known.has(k)) throw new EncodeError(`${path}.${k}`, `unknown port option (known: ${[...known].join(', ')})`);
  const protinfo: Record<string, unknown> = {};
  for (const k of PORT_ORDER) if (input[k] !== undefined) protinfo[k] = input[k];
  const m: BridgeLinkMessageInput = { family: 'bridge', index, protinfo: protinfo as BridgeLinkMessageInput['protinfo'] };
  const flags: ('self' | 'master')[] = [];
  if (input.hwmode !== undefined || bool(input.self, `${path}.self`)) flags.push('self');
  if (bool(input.master, `${path}.master`)) flags.push('master');
  if (flags.length > 0 || input.hwmode !== undefined) {
    m.afSpec = {};
    if (flags.length > 0) m.afSpec.flags = flags;
    if (input.hwmode !== undefined) m.afSpec.mode = input.hwmode;
  }
  return m;
}

/** The AF_BRIDGE link message of `bridge vlan add|del` (pure), as bridge 6.1's vlan_modify builds it. */
export function bridgeVlanMessage(index: number, input: BridgeVlanInput, path = 'vlan'): BridgeLinkMessageInput {
  if (input === null || typeof input !== 'object') throw new EncodeError(path, `expected { dev, vid, ... }, got ${describe(input)}`);
  const known = new Set(['dev', 'vid', 'vidEnd', 'pvid', 'untagged', 'self', 'master', 'tunnelId', 'tunnelIdEnd']);
  for (const k of Object.keys(input)) if (!known.has(k)) throw new EncodeError(`${path}.${k}`, `unknown option (known: ${[...known].join(', ')})`);
  const vid = int(input.vid, `${path}.vid`, 1, 4094);
  const end = input.vidEnd === undefined ? undefined : int(input.vidEnd, `${path}.vidEnd`, vid + 1, 4094);
  if (bool(input.pvid, `${path}.pvid`) && end !== undefined) throw new EncodeError(`${path}.pvid`, 'pvid cannot be configured for a vlan range');
  bool(input.untagged, `${path}.untagged`);
  const afSpec: NonNullable<BridgeLinkMessageInput['afSpec']> = {};
  const targets: ('self' | 'master')[] = [];
  if (bool(input.self, `${path}.self`)) targets.push('self');
  if (bool(input.master, `${path}.master`)) targets.push('master');
  if (targets.length > 0) afSpec.flags = targets;
  if (input.tunnelId !== undefined) {
    const id = int(input.tunnelId, `${path}.tunnelId`, 0, 0xffffffff);
    if (end === undefined) {
      if (input.tunnelIdEnd !== undefined) throw new EncodeError(`${path}.tunnelIdEnd`, 'a tunnel id range needs a VLAN range (vidEnd)');
      afSpec.vlanTunnelInfo = [{ id, vid, flags: 0 }];
    } else {
      const idEnd = int(input.tunnelIdEnd, `${path}.tunnelIdEnd`, id, 0xffffffff);
      if (idEnd - id !== end - vid) throw new EncodeError(`${path}.tunnelIdEnd`, `the tunnel id range ${id}-${idEnd} must be as long as the VLAN range ${vid}-${end}`);
      afSpec.vlanTunnelInfo = [{ id, vid, flags: ['range_begin'] }, { id: idEnd, vid: end, flags: ['range_end'] }];
    }
  } else {
    if (input.tunnelIdEnd !== undefined) throw new EncodeError(`${path}.tunnelIdEnd`, 'needs tunnelId');
    const flags = (input.pvid ? B.BRIDGE_VLAN_INFO_PVID : 0) | (input.untagged ? B.BRIDGE_VLAN_INFO_UNTAGGED : 0);
    afSpec.vlanInfo = end === undefined ? [{ flags, vid }]
      : [{ flags: flags | B.BRIDGE_VLAN_INFO_RANGE_BEGIN, vid }, { flags: flags | B.BRIDGE_VLAN_INFO_RANGE_END, vid: end }];
  }
  return { family: 'bridge', index, afSpec };
}

function bridgeLinkRequest(type: number, m: BridgeLinkMessageInput, operation: string, path = 'bridge'): Request {
  return { type, flags: 0, headerSize: bridgeLinkMessage.headerSize, expectReply: false, operation, body: (w) => bridgeLinkMessage.encodePayload(w, m, path) };
}

/** `bridge link set` (pure); `path` names the message in an EncodeError (the client's verb says `port`). */
export const bridgePortRequest = (m: BridgeLinkMessageInput, dev: LinkRef, path?: string): Request => bridgeLinkRequest(RTM_SETLINK, m, `bridge link set dev ${dev}`, path);
export const bridgeVlanRequest = (verb: 'add' | 'delete', m: BridgeLinkMessageInput, dev: LinkRef): Request =>
  bridgeLinkRequest(verb === 'add' ? RTM_SETLINK : RTM_DELLINK, m, `bridge vlan ${verb === 'add' ? 'add' : 'del'} dev ${dev}`);

/** The AF_BRIDGE link dump of `bridge link show` (no mask) and `bridge vlan show` (RTEXT_FILTER_BRVLAN). */
export function bridgeLinkListRequest(vlans: boolean): Request {
  const m: BridgeLinkMessageInput = { family: 'bridge' };
  if (vlans) m.extMask = RTEXT_FILTER_BRVLAN;
  return { type: RTM_GETLINK, headerSize: bridgeLinkMessage.headerSize, operation: vlans ? 'bridge vlan show' : 'bridge link show', body: (w) => bridgeLinkMessage.encodePayload(w, m, 'bridge') };
}

/** The VLANs of a port or bridge from its IFLA_AF_SPEC entries (a range's first and last entry as the kernel sent them, uncompressed). */
export function vlansOf(l: BridgeLink): BridgeVlanEntry[] {
  return (l.afSpec?.vlanInfo ?? []).map((v) => ({ vid: v.vid, flags: v.flags }));
}

/** `bridge mdb add|del dev BRIDGE port PORT grp GROUP [permanent] [vid VID]`. */
export interface MdbInput {
  /** The bridge. */
  dev: LinkRef;
  /** The port that joins the group. */
  port: LinkRef;
  /** An IPv4 or IPv6 multicast group, or a MAC address (an L2 entry). */
  grp: string;
  /** Kept until deleted; default temporary (ages like a learned membership). */
  permanent?: boolean;
  vid?: number;
}

/** One MDB entry of a listing: the bridge it belongs to and the membership. */
export interface BridgeMdbEntry extends MdbEntryInfo {
  /** The bridge's index. */
  bridge: number;
}

/** The MDB change as bridge 6.1's mdb_modify builds it (pure; dev and port as indexes). `permanent` only counts for add, as there. */
export function mdbMessage(verb: 'add' | 'delete', input: MdbInput, bridge: number, port: number, path = 'mdb'): MdbSetInput {
  if (input === null || typeof input !== 'object') throw new EncodeError(path, `expected { dev, port, grp, ... }, got ${describe(input)}`);
  const known = new Set(['dev', 'port', 'grp', 'permanent', 'vid']);
  for (const k of Object.keys(input)) if (!known.has(k)) throw new EncodeError(`${path}.${k}`, `unknown option (known: ${[...known].join(', ')})`);
  const vid = input.vid === undefined ? 0 : int(input.vid, `${path}.vid`, 0, 4094);
  const permanent = verb === 'add' && bool(input.permanent, `${path}.permanent`) === true;
  if (typeof input.grp !== 'string') throw new EncodeError(`${path}.grp`, `expected a group address, got ${describe(input.grp)}`);
  return { family: 'bridge', ifindex: bridge, entry: { port, state: permanent ? 'permanent' : 'temp', flags: 0, vid, grp: input.grp } };
}

export function mdbRequest(verb: 'add' | 'delete', m: MdbSetInput): Request {
  return {
    type: verb === 'add' ? RTM_NEWMDB : RTM_DELMDB, flags: verb === 'add' ? NLM_F_CREATE | NLM_F_EXCL : 0, headerSize: mdbSetMessage.headerSize, expectReply: false,
    operation: `bridge mdb ${verb === 'add' ? 'add' : 'del'} grp ${m.entry?.grp}`, body: (w) => mdbSetMessage.encodePayload(w, m, 'mdb'),
  };
}

/** The MDB dump (RTM_GETMDB, br_port_msg of family bridge). */
export function mdbListRequest(): Request {
  return { type: RTM_GETMDB, headerSize: mdbSetMessage.headerSize, operation: 'bridge mdb show', body: (w) => mdbSetMessage.encodePayload(w, { family: 'bridge', ifindex: 0 }, 'mdb') };
}
