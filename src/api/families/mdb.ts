// The mdb family (docs/architecture.md, "The family descriptor"): multicast
// group memberships of bridge ports (`bridge mdb`, docs/bridge.md). Its verbs
// are nl.bridge.mdb (families/bridge.ts), derived from this descriptor; a
// listing gives one entry per membership, not per message.
import * as R from '../../generated/linux/rtnetlink.js';
import { describe } from '../../netlink/describe.js';
import { EncodeError } from '../../netlink/errors.js';
import { type MdbMessage, decodeMdb, mdbEntries, mdbMessage } from '../../rtnl/bridge-mdb.js';
import { type BridgeMdbEntry, type MdbInput, mdbListRequest, mdbMessage as mdbSetMessageOf, mdbRequest } from '../bridge.js';
import type { Engine, FamilyApi } from '../engine.js';
import type { BuildContext, FamilyDescriptor } from '../family.js';
import { type LinkRef, checkLinkRef } from '../link-spec.js';

/** The input of each MDB change (`bridge mdb add|delete`): one membership. */
export type MdbInputs = { add: MdbInput; delete: MdbInput };

/** What an MDB listing takes: one bridge, one VLAN. */
export interface MdbListFilter {
  dev?: LinkRef;
  vid?: number;
}

const mdbBuild = (verb: 'add' | 'delete') => (input: MdbInput, ctx: BuildContext) => {
  if (input === null || typeof input !== 'object') throw new EncodeError('mdb', `expected { dev, port, grp, ... }, got ${describe(input)}`);
  const bridge = ctx.ifindex(checkLinkRef(input.dev, 'mdb.dev'), 'mdb.dev');
  const port = ctx.ifindex(checkLinkRef(input.port, 'mdb.port'), 'mdb.port');
  return mdbRequest(verb, mdbSetMessageOf(verb, input, bridge, port));
};

/** The MDB's descriptor (RTM_*MDB): `nl.bridge.mdb`'s verbs, its events and `b.bridge.mdb` derive from it (`bridge mdb`). */
export const mdbFamily: FamilyDescriptor<MdbMessage, 'mdb', 'list' | 'add' | 'delete', MdbInputs, MdbListFilter> = {
  kind: 'mdb',
  schema: mdbMessage,
  getType: R.RTM_GETMDB,
  verbs: ['list', 'add', 'delete'],
  newType: R.RTM_NEWMDB,
  delType: R.RTM_DELMDB,
  groups: [R.RTNLGRP_MDB],
  decode: decodeMdb,
  // A message names a bridge and the memberships it announces (an event carries one).
  key: (m) => [m.ifindex, ...mdbEntries(m).map((e) => `${e.port}/${e.grp}/${e.vid}`)].join('|'),
  dump: [mdbListRequest()],
  volatile: ['mdb'],
  change: {
    build: { add: mdbBuild('add'), delete: mdbBuild('delete') },
    // An unknown device name is the lookup's own NetlinkError (ENODEV), as docs/errors.md says.
    nameError: (err) => err,
  },
  // The bridge is filtered here (the kernel dumps every bridge's).
  async dumpFilter(filter = {}, { resolve }) {
    const bridge = filter.dev === undefined ? undefined : await resolve(checkLinkRef(filter.dev, 'filter.dev'));
    return { req: mdbListRequest(), keep: bridge === undefined ? undefined : (m) => m.ifindex === bridge };
  },
};

/** An MDB listing is one entry per membership, with the bridge it belongs to. */
export function mdbVerbs(e: Engine<MdbMessage, MdbInputs, MdbListFilter, never>) {
  return {
    /** Every membership (`bridge mdb show`), one entry per port and group, with its bridge's index; `dev` and `vid` narrow it. */
    async list(filter: MdbListFilter = {}): Promise<BridgeMdbEntry[]> {
      const msgs = await e.list(filter);
      return msgs.flatMap((m) => mdbEntries(m).map((entry) => ({ bridge: m.ifindex, ...entry })))
        .filter((entry) => !filter.vid || entry.vid === filter.vid);
    },
  };
}

/** `nl.bridge.mdb`: add and delete derived from the descriptor; list gives memberships. */
export type MdbApi = FamilyApi<typeof mdbFamily, ReturnType<typeof mdbVerbs>>;
