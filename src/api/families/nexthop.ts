// The nexthop family (docs/architecture.md, "The family descriptor"; docs/nexthops.md).
import * as R from '../../generated/linux/rtnetlink.js';
import { type NexthopObject, decodeNexthopObject, nexthopMessage } from '../../rtnl/nexthop.js';
import type { BuildContext, FamilyDescriptor } from '../family.js';
import { type NexthopObjectInput, nexthopListRequest, nexthopRequest } from '../nexthops.js';

/** What each change verb takes (batch verbs are derived from it). */
export type NexthopInputs = { add: NexthopObjectInput; replace: NexthopObjectInput; delete: number | { id: number } };

/** A device named in the input resolved to its index. */
function withIndex(nh: NexthopObjectInput, ctx: BuildContext): NexthopObjectInput<number> {
  if (nh === null || typeof nh !== 'object' || nh.dev === undefined) return nh as NexthopObjectInput<number>; // checked by nexthopRequest
  return { ...nh, dev: ctx.ifindex(nh.dev, 'nexthop.dev') };
}

export const nexthopFamily: FamilyDescriptor<NexthopObject, 'nexthop', 'list' | 'stream' | 'get' | 'add' | 'replace' | 'delete' | 'flush', NexthopInputs> = {
  kind: 'nexthop',
  schema: nexthopMessage,
  getType: R.RTM_GETNEXTHOP,
  verbs: ['list', 'stream', 'get', 'add', 'replace', 'delete', 'flush'],
  newType: R.RTM_NEWNEXTHOP,
  delType: R.RTM_DELNEXTHOP,
  groups: [R.RTNLGRP_NEXTHOP],
  decode: decodeNexthopObject,
  // The id is the nexthop: replace changes one in place under the same id.
  key: (nh) => String(nh.id),
  dump: [nexthopListRequest()],
  change: {
    build: {
      add: (nh, ctx) => nexthopRequest('add', withIndex(nh, ctx)),
      replace: (nh, ctx) => nexthopRequest('replace', withIndex(nh, ctx)),
      delete: (id) => nexthopRequest('delete', id),
    },
  },
};
