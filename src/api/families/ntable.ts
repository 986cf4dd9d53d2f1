// The neighbour table family (docs/architecture.md, "The family descriptor"; docs/netconf.md).
// The request builders are in api/ntables.ts; the client's verbs (nl.ntable:
// list, change) and the batch's are derived from this descriptor.
import * as R from '../../generated/linux/rtnetlink.js';
import { describe } from '../../netlink/describe.js';
import { EncodeError } from '../../netlink/errors.js';
import { checkIfname } from '../../rtnl/codecs.js';
import { type Ntable, decodeNtable, ntableMessage } from '../../rtnl/ntable.js';
import type { FamilyApi } from '../engine.js';
import { type FamilyDescriptor, devIndex } from '../family.js';
import { type NtableChangeInput, type NtableListFilter, ntableChangeRequest, ntableListRequest } from '../ntables.js';

/** What each change verb takes (batch verbs are derived from it). */
export type NtableInputs = { change: NtableChangeInput };

/** The neighbour table family's descriptor (RTM_*NEIGHTBL): `nl.ntable`'s verbs and batch verb derive from it (`ip ntable`). */
export const ntableFamily: FamilyDescriptor<Ntable, 'ntable', 'list' | 'change', NtableInputs, NtableListFilter> = {
  kind: 'ntable',
  schema: ntableMessage,
  getType: R.RTM_GETNEIGHTBL,
  verbs: ['list', 'change'],
  newType: R.RTM_NEWNEIGHTBL,
  // Tables are never deleted: no message type says so.
  delType: -1,
  // The kernel announces no table change.
  groups: [],
  decode: decodeNtable,
  key: (t) => `${String(t.family)} ${t.name} ${t.parms?.ifindex ?? ''}`,
  dump: [ntableListRequest()],
  volatile: ['stats', 'config', 'parms'],
  change: {
    build: {
      // A table's thresholds or parameters (a device's with `dev`); the device keeps its place among the keys.
      change: (input, ctx) => {
        if (input === null || typeof input !== 'object') throw new EncodeError('ntable', `expected a table change, got ${describe(input)}`);
        return ntableChangeRequest({ ...input, dev: devIndex(input.dev, ctx, 'ntable.dev') });
      },
    },
    // An unknown device name is the lookup's own NetlinkError (ENODEV), as docs/errors.md says.
    nameError: (err) => err,
  },
  // Every table and every device's parameters, like `ip ntable show`, its filters applied here, as ip does.
  async dumpFilter(filter = {}, { resolve }) {
    if (filter === null || typeof filter !== 'object') throw new EncodeError('ntable', `expected a filter, got ${describe(filter)}`);
    const dev = filter.dev === undefined || filter.dev === 'none' || typeof filter.dev === 'number' ? filter.dev : await resolve(checkIfname(filter.dev, 'ntable.dev'));
    const { name, family } = filter;
    return {
      req: ntableListRequest(family),
      keep: (t) => (name === undefined || t.name === name)
        && (dev === undefined || (dev === 'none' ? t.parms?.ifindex === undefined : t.parms?.ifindex === dev)),
    };
  },
};

/** `nl.ntable`: list and change, derived from the descriptor. */
export type NtableApi = FamilyApi<typeof ntableFamily>;
