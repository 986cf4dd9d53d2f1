// The address label family (docs/architecture.md, "The family descriptor"; docs/netconf.md).
// The request builders are in api/addrlabels.ts; the client's verbs
// (nl.addrlabel) and the batch's are derived from this descriptor, plus flush.
import * as R from '../../generated/linux/rtnetlink.js';
import { describe } from '../../netlink/describe.js';
import { EncodeError } from '../../netlink/errors.js';
import { type Addrlabel, addrlabelMessage, decodeAddrlabel } from '../../rtnl/addrlabel.js';
import { type AddrlabelInput, addrlabelListRequest, addrlabelRequest } from '../addrlabels.js';
import type { Engine, FamilyApi } from '../engine.js';
import { type BuildContext, type FamilyDescriptor, devIndex } from '../family.js';
import { flushDumped } from '../flush.js';

/** What each change verb takes (batch verbs are derived from it). */
export type AddrlabelInputs = { add: AddrlabelInput; delete: AddrlabelInput };

/** The device resolved to its index, in its place among the keys (the bytes follow their order). */
function withIndex(l: AddrlabelInput, ctx: BuildContext): AddrlabelInput<number> {
  if (l === null || typeof l !== 'object') throw new EncodeError('addrlabel', `expected { prefix, label, dev? }, got ${describe(l)}`);
  return { ...l, dev: devIndex(l.dev, ctx, 'addrlabel.dev') };
}

/** The address label family's descriptor (RTM_*ADDRLABEL): `nl.addrlabel`'s verbs, its events and batch verbs derive from it (`ip addrlabel`). */
export const addrlabelFamily: FamilyDescriptor<Addrlabel, 'addrlabel', 'list' | 'stream' | 'add' | 'delete' | 'flush', AddrlabelInputs> = {
  kind: 'addrlabel',
  schema: addrlabelMessage,
  getType: R.RTM_GETADDRLABEL,
  verbs: ['list', 'stream', 'add', 'delete', 'flush'],
  newType: R.RTM_NEWADDRLABEL,
  delType: R.RTM_DELADDRLABEL,
  // The kernel announces no label change: no multicast group.
  groups: [],
  decode: decodeAddrlabel,
  key: (l) => `${l.address}/${l.prefixLen} ${l.ifindex}`,
  // The label table, in the kernel's order (longest prefixes first).
  dump: [addrlabelListRequest()],
  change: {
    build: {
      // EEXIST when the prefix (on that device) has one.
      add: (l, ctx) => addrlabelRequest('add', withIndex(l, ctx)),
      delete: (l, ctx) => addrlabelRequest('delete', withIndex(l, ctx)),
    },
    absent: { delete: (l) => `address label for ${l?.prefix}` },
    // An unknown device name is the lookup's own NetlinkError (ENODEV), as docs/errors.md says.
    nameError: (err) => err,
  },
};

/** The verbs only address labels have. */
export function addrlabelVerbs(e: Engine<Addrlabel, AddrlabelInputs, never, never>) {
  return {
    /**
     * Deletes every entry, the kernel's defaults too, like `ip addrlabel
     * flush` (one dump, sent back as deletes in one batch); `where` picks.
     * Returns how many went.
     */
    flush(filter: { where?: (l: Addrlabel) => boolean } = {}): Promise<number> {
      const where = filter.where;
      return flushDumped(e.deps.sock, addrlabelListRequest(), {
        deleteType: R.RTM_DELADDRLABEL, gone: ['ENOENT', 'ESRCH'],
        keep: where && ((buf, start) => {
          const l = decodeAddrlabel(buf, start, buf.readUInt32LE(start));
          return l !== undefined && where(l);
        }),
      });
    },
  };
}

/** `nl.addrlabel`: the verbs derived from the descriptor, and flush. */
export type AddrlabelApi = FamilyApi<typeof addrlabelFamily, ReturnType<typeof addrlabelVerbs>>;
