// The filter family (docs/architecture.md, "The family descriptor").
import * as R from '../../generated/linux/rtnetlink.js';
import { type Filter, decodeFilter, filterDumpRequest } from '../../rtnl/tc/filter.js';
import { decodeQdisc, qdiscDumpRequest } from '../../rtnl/tc/qdisc.js';
import { tcMessage } from '../../rtnl/tc/tcmsg.js';
import { tcVolatile } from './tc.js';
import type { FamilyDescriptor } from '../family.js';

export const filterFamily: FamilyDescriptor<Filter, 'filter', 'list' | 'stream' | 'add' | 'change' | 'replace' | 'delete'> = {
  kind: 'filter',
  schema: tcMessage,
  getType: R.RTM_GETTFILTER,
  verbs: ['list', 'stream', 'add', 'change', 'replace', 'delete'],
  newType: R.RTM_NEWTFILTER,
  delType: R.RTM_DELTFILTER,
  groups: [R.RTNLGRP_TC],
  decode: decodeFilter,
  key: (f) => [f.ifindex, f.parent, f.priority, f.protocol, f.handle, f.kind].join('|'),
  dump: [],
  // Filters hang off qdiscs (and their ingress/egress points): list each parent.
  async list(dump) {
    const out: Filter[] = [];
    for (const q of await dump(qdiscDumpRequest({}), decodeQdisc)) {
      const parents = q.kind === 'clsact' ? ['ffff:fff2', 'ffff:fff3'] : [q.handle];
      for (const parent of parents) out.push(...await dump(filterDumpRequest({ ifindex: q.ifindex, parent }), decodeFilter));
    }
    return out;
  },
  volatile: tcVolatile,
};
