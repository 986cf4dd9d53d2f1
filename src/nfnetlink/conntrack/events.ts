// Conntrack as a monitor source (src/events/source.ts): its own protocol
// (NETLINK_NETFILTER), its own groups (NFNLGRP_CONNTRACK_NEW / UPDATE /
// DESTROY, named as `conntrack -E -e` names them) and its own message
// types; IPCTNL_MSG_CT_NEW is a new entry when it carries NLM_F_CREATE,
// an update otherwise (docs/events.md).
import * as NF from '../../generated/linux/netfilter/nfnetlink.js';
import * as C from '../../generated/linux/netfilter/nfnetlink_conntrack.js';
import { NLM_F_CREATE } from '../../generated/linux/netlink.js';
import type { FamilyDescriptor } from '../../api/family.js';
import { EncodeError } from '../../netlink/errors.js';
import { lookup } from '../../netlink/narrow.js';
import { describe } from '../../netlink/describe.js';
import type { EventSource } from '../../events/source.js';
import type { EventKind } from '../../events/kinds.js';
import { nfType } from '../header.js';
import { NFGENMSG_LEN } from '../header.js';
import { type Conntrack, type ConntrackTuple, decodeConntrack } from './entry.js';
import { listRequest } from './requests.js';

/** The conntrack event groups, as `conntrack -E -e` names them. */
export type ConntrackGroup = 'new' | 'update' | 'destroy';

export const conntrackGroups: Readonly<Record<ConntrackGroup, number>> = {
  new: NF.NFNLGRP_CONNTRACK_NEW,
  update: NF.NFNLGRP_CONNTRACK_UPDATE,
  destroy: NF.NFNLGRP_CONNTRACK_DESTROY,
};

const tupleKey = (t: ConntrackTuple): string => `${t.src}|${t.dst}|${t.protocol}|${t.sport ?? ''}|${t.dport ?? ''}|${t.icmp ? `${t.icmp.type}/${t.icmp.code}/${t.icmp.id}` : ''}|${t.zone ?? ''}`;

/** The conntrack kind: an entry is known by its family, zone and original tuple. */
export const conntrackKind: FamilyDescriptor<Conntrack, 'conntrack', 'list' | 'stream' | 'get' | 'add' | 'set' | 'delete' | 'flush'> = {
  kind: 'conntrack',
  schema: { name: 'conntrack', headerSize: NFGENMSG_LEN },
  newType: nfType(NF.NFNL_SUBSYS_CTNETLINK, C.IPCTNL_MSG_CT_NEW),
  delType: nfType(NF.NFNL_SUBSYS_CTNETLINK, C.IPCTNL_MSG_CT_DELETE),
  getType: nfType(NF.NFNL_SUBSYS_CTNETLINK, C.IPCTNL_MSG_CT_GET),
  verbs: ['list', 'stream', 'get', 'add', 'set', 'delete', 'flush'],
  groups: Object.values(conntrackGroups),
  decode: decodeConntrack,
  key: (ct) => `${ct.family}|${ct.zone ?? 0}|${tupleKey(ct.orig)}`,
  dump: [listRequest().req],
  // Counted down, counted up, or stamped by the kernel without an event.
  volatile: ['timeout', 'counters', 'use', 'timestamp'],
};

export const conntrackSource: EventSource = {
  name: 'conntrack',
  kinds: [conntrackKind as EventKind<unknown>],
  resolveGroups(names) {
    if (!Array.isArray(names)) throw new EncodeError('monitor.groups', `expected a list of group names, got ${describe(names)}`);
    const list = names.length === 0 || names.includes('all') ? Object.keys(conntrackGroups) : names;
    return list.map((n) => {
      const group = lookup(conntrackGroups, n);
      if (group === undefined) {
        throw new EncodeError('monitor.groups', `unknown conntrack group ${describe(n)} (valid: all, ${Object.keys(conntrackGroups).join(', ')})`);
      }
      return group;
    });
  },
  kindOf(buf, start) {
    const type = buf.readUInt16LE(start + 4);
    if (type === conntrackKind.newType) {
      return { entry: conntrackKind as EventKind<unknown>, action: buf.readUInt16LE(start + 6) & NLM_F_CREATE ? 'new' : 'update' };
    }
    if (type === conntrackKind.delType) return { entry: conntrackKind as EventKind<unknown>, action: 'del' };
    return undefined;
  },
};
