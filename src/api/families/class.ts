// The class family (docs/architecture.md, "The family descriptor").
import * as R from '../../generated/linux/rtnetlink.js';
import { type TcClass, classDumpRequest, decodeClass } from '../../rtnl/tc/class.js';
import { tcMessage } from '../../rtnl/tc/tcmsg.js';
import { ifindexes, tcVolatile } from './tc.js';
import type { FamilyDescriptor } from '../family.js';

export const tclassFamily: FamilyDescriptor<TcClass, 'class', 'list' | 'stream' | 'add' | 'change' | 'replace' | 'delete'> = {
  kind: 'class',
  schema: tcMessage,
  getType: R.RTM_GETTCLASS,
  verbs: ['list', 'stream', 'add', 'change', 'replace', 'delete'],
  newType: R.RTM_NEWTCLASS,
  delType: R.RTM_DELTCLASS,
  groups: [R.RTNLGRP_TC],
  decode: decodeClass,
  key: (c) => [c.ifindex, c.handle].join('|'),
  dump: [],
  async list(dump) {
    const out: TcClass[] = [];
    for (const i of await ifindexes(dump)) out.push(...await dump(classDumpRequest(i), decodeClass));
    return out;
  },
  volatile: tcVolatile,
};
