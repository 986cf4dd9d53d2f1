// The chain family (docs/architecture.md, "The family descriptor").
import * as R from '../../generated/linux/rtnetlink.js';
import { formatHandle } from '../../rtnl/tc/handles.js';
import { decodeTcMessage, tcMessage } from '../../rtnl/tc/tcmsg.js';
import type { FamilyDescriptor } from '../family.js';

/** A filter chain (RTM_NEWCHAIN / RTM_DELCHAIN): tc announces chains as filters come and go. */
export interface TcChain { ifindex: number; parent: string; chain: number }

export const chainFamily: FamilyDescriptor<TcChain, 'chain', never> = {
  kind: 'chain',
  schema: tcMessage,
  getType: R.RTM_GETCHAIN,
  verbs: [],
  newType: R.RTM_NEWCHAIN,
  delType: R.RTM_DELCHAIN,
  groups: [R.RTNLGRP_TC],
  decode: (buf, start, length) => {
    const m = decodeTcMessage(buf, start, length, []);
    return { ifindex: m.ifindex, parent: formatHandle(m.parent), chain: m.chain ?? 0 };
  },
  key: (c) => [c.ifindex, c.parent, c.chain].join('|'),
  dump: [],
  // Chains are implied by the filters listed; tracking them adds nothing.
  list: async () => [],
};
