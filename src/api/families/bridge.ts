// The bridge's families (docs/bridge.md; docs/architecture.md, "The family
// descriptor"): FDB entries (neighbour messages of family AF_BRIDGE), port
// options and VLANs (AF_BRIDGE link messages), and the MDB (families/mdb.ts).
// The request builders are in api/bridge.ts; nl.bridge.fdb|link|vlan|mdb and
// a batch's b.bridge are derived from these descriptors. FDB, port and VLAN
// changes are announced as neighbour and link events, so these three are not
// in the monitor's table (families/index.ts): only the MDB has events of its own.
import * as R from '../../generated/linux/rtnetlink.js';
import { describe } from '../../netlink/describe.js';
import { EncodeError } from '../../netlink/errors.js';
import { type BridgeLink, bridgeLinkMessage, decodeBridgeLink } from '../../rtnl/bridge-link.js';
import { type Neighbour, decodeNeighbour, neighbourMessage } from '../../rtnl/neighbour.js';
import {
  type BridgePortInput, type BridgeVlanInput, type FdbInput, type FdbListFilter, type FdbVerb,
  bridgeLinkListRequest, bridgePortMessage, bridgePortRequest, bridgeVlanMessage, bridgeVlanRequest, fdbKeep, fdbListRequest, fdbMessage, fdbRequest,
} from '../bridge.js';
import type { Engine, FamilyApi } from '../engine.js';
import type { BuildContext, FamilyDescriptor } from '../family.js';
import { type LinkRef, checkLinkRef } from '../link-spec.js';
import { type MdbApi, mdbFamily } from './mdb.js';

/** A device of a bridge input → its index (an EncodeError naming `path` for a bad one). */
export function bridgeDev(ref: unknown, ctx: BuildContext, path: string): number {
  return ctx.ifindex(checkLinkRef(ref, path), path);
}

/** The input is an object (else the same EncodeError the message builder gives), so its fields can be read. */
export function bridgeInput<T>(input: T, path: string, what: string): T & object {
  if (input === null || typeof input !== 'object') throw new EncodeError(path, `expected ${what}, got ${describe(input)}`);
  return input;
}

/** The input of each FDB change (`bridge fdb add|append|replace|delete`): one entry, as {@link FdbInput}. */
export type FdbInputs = Record<FdbVerb, FdbInput>;

function fdbBuild(verb: FdbVerb) {
  return (input: FdbInput, ctx: BuildContext) => {
    bridgeInput(input, 'fdb', '{ lladdr, dev, ... }');
    const ifindex = bridgeDev(input.dev, ctx, 'fdb.dev');
    const via = input.via === undefined ? undefined : bridgeDev(input.via, ctx, 'fdb.via');
    return fdbRequest(verb, fdbMessage(input, ifindex, via));
  };
}

/** The FDB's descriptor (RTM_*NEIGH of family AF_BRIDGE): `nl.bridge.fdb`'s verbs and `b.bridge.fdb` derive from it (`bridge fdb`). */
export const fdbFamily: FamilyDescriptor<Neighbour, 'fdb', 'list' | 'add' | 'append' | 'replace' | 'delete', FdbInputs, FdbListFilter> = {
  kind: 'fdb',
  schema: neighbourMessage,
  getType: R.RTM_GETNEIGH,
  verbs: ['list', 'add', 'append', 'replace', 'delete'],
  newType: R.RTM_NEWNEIGH,
  delType: R.RTM_DELNEIGH,
  groups: [R.RTNLGRP_NEIGH],
  decode: decodeNeighbour,
  key: (e) => `${e.ifindex} ${e.lladdr ?? ''} ${e.vlan ?? ''} ${e.address ?? ''}`,
  dump: [fdbListRequest()],
  change: {
    build: { add: fdbBuild('add'), append: fdbBuild('append'), replace: fdbBuild('replace'), delete: fdbBuild('delete') },
    // An unknown device name is the lookup's own NetlinkError (ENODEV), as docs/errors.md says.
    nameError: (err) => err,
  },
  // The port and the bridge are kernel-side filters; the VLAN and the state are checked here, as bridge does.
  async dumpFilter(filter = {}, { resolve }) {
    const ifindex = filter.dev === undefined ? undefined : await resolve(checkLinkRef(filter.dev, 'filter.dev'));
    const master = filter.br === undefined ? undefined : await resolve(checkLinkRef(filter.br, 'filter.br'));
    return { req: fdbListRequest(ifindex, master), keep: (e) => fdbKeep(e, filter) && (ifindex === undefined || e.ifindex === ifindex) };
  },
};

/** What a port change takes: the port, and its options. */
export interface BridgePortSet {
  dev: LinkRef;
  options: BridgePortInput;
}

/** The bridge ports' descriptor (RTM_*LINK of family AF_BRIDGE): `nl.bridge.link`'s verbs and `b.bridge.link.set` derive from it (`bridge link`). */
export const bridgePortFamily: FamilyDescriptor<BridgeLink, 'port', 'list' | 'set', { set: BridgePortSet }> = {
  kind: 'port',
  schema: bridgeLinkMessage,
  getType: R.RTM_GETLINK,
  verbs: ['list', 'set'],
  newType: R.RTM_NEWLINK,
  delType: R.RTM_DELLINK,
  groups: [R.RTNLGRP_LINK],
  decode: decodeBridgeLink,
  key: (l) => String(l.index),
  // `bridge link show`: no mask.
  dump: [bridgeLinkListRequest(false)],
  change: {
    build: {
      set: ({ dev, options }, ctx) => {
        // Every option is checked before the port's name is looked up (the engine encodes pass one's request).
        const index = bridgeDev(dev, ctx, 'dev');
        return bridgePortRequest(bridgePortMessage(index, options), dev, 'port');
      },
    },
    // An unknown device name is the lookup's own NetlinkError (ENODEV), as docs/errors.md says.
    nameError: (err) => err,
  },
};

/** The input of each bridge VLAN change (`bridge vlan add|delete`). */
export type BridgeVlanInputs = { add: BridgeVlanInput; delete: BridgeVlanInput };

const vlanBuild = (verb: 'add' | 'delete') => (input: BridgeVlanInput, ctx: BuildContext) => {
  bridgeInput(input, 'vlan', '{ dev, vid, ... }');
  return bridgeVlanRequest(verb, bridgeVlanMessage(bridgeDev(input.dev, ctx, 'vlan.dev'), input), input.dev);
};

/** The bridge VLANs' descriptor (RTM_*LINK with RTEXT_FILTER_BRVLAN): `nl.bridge.vlan`'s verbs and `b.bridge.vlan` derive from it (`bridge vlan`). */
export const bridgeVlanFamily: FamilyDescriptor<BridgeLink, 'vlan', 'list' | 'add' | 'delete', BridgeVlanInputs> = {
  kind: 'vlan',
  schema: bridgeLinkMessage,
  getType: R.RTM_GETLINK,
  verbs: ['list', 'add', 'delete'],
  newType: R.RTM_NEWLINK,
  delType: R.RTM_DELLINK,
  groups: [R.RTNLGRP_LINK],
  decode: decodeBridgeLink,
  key: (l) => String(l.index),
  // `bridge vlan show`: RTEXT_FILTER_BRVLAN.
  dump: [bridgeLinkListRequest(true)],
  change: {
    build: { add: vlanBuild('add'), delete: vlanBuild('delete') },
    // An unknown device name is the lookup's own NetlinkError (ENODEV), as docs/errors.md says.
    nameError: (err) => err,
  },
};

/** The bridge's families, by their name under nl.bridge and b.bridge. */
export const bridgeFamilies = { fdb: fdbFamily, link: bridgePortFamily, vlan: bridgeVlanFamily, mdb: mdbFamily };

/** Port options are set as `set(dev, options)`, as `bridge link set dev DEV ...` reads. */
export function bridgePortVerbs(e: Engine<BridgeLink, { set: BridgePortSet }, never, never>) {
  return {
    /** Changes a port's options (`bridge link set dev DEV ...`). */
    set: (dev: LinkRef, options: BridgePortInput): Promise<void> => e.run('set', { dev, options }),
  };
}

/** `nl.bridge.fdb`: the forwarding database (`bridge fdb`). */
export type BridgeFdbApi = FamilyApi<typeof fdbFamily>;
/** `nl.bridge.link`: port options (`bridge link`). */
export type BridgePortApi = FamilyApi<typeof bridgePortFamily, ReturnType<typeof bridgePortVerbs>>;
/** `nl.bridge.vlan`: VLAN filter entries and VLAN-to-tunnel maps (`bridge vlan`). */
export type BridgeVlanApi = FamilyApi<typeof bridgeVlanFamily>;
/** `nl.bridge.mdb`: multicast group memberships of bridge ports (`bridge mdb`). */
export type BridgeMdbApi = MdbApi;

/** `nl.bridge` (docs/bridge.md). */
export interface BridgeApi {
  readonly fdb: BridgeFdbApi;
  readonly link: BridgePortApi;
  readonly vlan: BridgeVlanApi;
  readonly mdb: BridgeMdbApi;
}
