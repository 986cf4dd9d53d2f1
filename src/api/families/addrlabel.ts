// The address label family (docs/architecture.md, "The family descriptor"; docs/netconf.md).
import * as R from '../../generated/linux/rtnetlink.js';
import { type Addrlabel, addrlabelMessage, decodeAddrlabel } from '../../rtnl/addrlabel.js';
import { type AddrlabelInput, addrlabelListRequest, addrlabelRequest } from '../addrlabels.js';
import type { BuildContext, FamilyDescriptor } from '../family.js';

/** What each change verb takes (batch verbs are derived from it). */
export type AddrlabelInputs = { add: AddrlabelInput; delete: AddrlabelInput };

const withIndex = (l: AddrlabelInput, ctx: BuildContext): AddrlabelInput<number> =>
  ({ ...l, dev: l?.dev === undefined ? undefined : ctx.ifindex(l.dev, 'addrlabel.dev') });

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
  dump: [addrlabelListRequest()],
  change: {
    build: {
      add: (l, ctx) => addrlabelRequest('add', withIndex(l, ctx)),
      delete: (l, ctx) => addrlabelRequest('delete', withIndex(l, ctx)),
    },
  },
};
