// The ctnetlink requests: one builder per message, each checking its input
// (an EncodeError, nothing sent) and writing nfgenmsg + attributes.
import * as NF from '../../generated/linux/netfilter/nfnetlink.js';
import { NFNETLINK_V0 } from '../../generated/linux/netfilter/nfnetlink.js';
import * as C from '../../generated/linux/netfilter/nfnetlink_conntrack.js';
import { NLM_F_CREATE, NLM_F_DUMP, NLM_F_EXCL } from '../../generated/linux/netlink.js';
import type { Request } from '../../netlink/request.js';
import { nfRequest } from '../header.js';
import { type ConntrackInput, conntrackAttrs } from './entry.js';
import { type ConntrackListFilter, compileFilter } from './filter.js';
import { conntrackAttrs as attrSet, type ConntrackAttrsIn } from './schema.js';

const CT = NF.NFNL_SUBSYS_CTNETLINK;

const ctRequest = (msg: number, family: number, attrs: ConntrackAttrsIn, operation: string, flags = 0, expectReply?: boolean): Request =>
  nfRequest({ subsys: CT, msg, family, flags, operation, expectReply, attrs: (w) => attrSet.encode(w, attrs, 'conntrack') });

/** The dump of every entry the filter's kernel-side part lets through (with the filter's client-side test). */
export function listRequest(filter?: ConntrackListFilter): { req: Request; keep: ReturnType<typeof compileFilter>['keep'] } {
  const f = compileFilter(filter);
  return { req: ctRequest(C.IPCTNL_MSG_CT_GET, f.family, f.attrs, 'conntrack list', NLM_F_DUMP), keep: f.keep };
}

export function getRequest(input: ConntrackInput): Request {
  const { family, attrs } = conntrackAttrs(input, 'get');
  return ctRequest(C.IPCTNL_MSG_CT_GET, family, attrs, 'conntrack get');
}

export function createRequest(input: ConntrackInput): Request {
  const { family, attrs } = conntrackAttrs(input, 'create');
  return ctRequest(C.IPCTNL_MSG_CT_NEW, family, attrs, 'conntrack create', NLM_F_CREATE | NLM_F_EXCL, false);
}

/** IPCTNL_MSG_CT_NEW without NLM_F_CREATE: changes an existing entry (ENOENT when there is none). */
export function updateRequest(input: ConntrackInput): Request {
  const { family, attrs } = conntrackAttrs(input, 'update');
  return ctRequest(C.IPCTNL_MSG_CT_NEW, family, attrs, 'conntrack update', 0, false);
}

export function deleteRequest(input: ConntrackInput): Request {
  const { family, attrs } = conntrackAttrs(input, 'delete');
  return ctRequest(C.IPCTNL_MSG_CT_DELETE, family, attrs, 'conntrack delete', 0, false);
}

/** IPCTNL_MSG_CT_DELETE without a tuple: every entry of the family (0: all), narrowed by mark/mask and zone where given. */
export function flushRequest(filter: Pick<ConntrackListFilter, 'family' | 'mark' | 'markMask' | 'zone'> = {}): Request {
  const f = compileFilter(filter, 'flush');
  // The kernel flushes every family unless the request's nfgenmsg version is nonzero
  // (6.18 also takes a CTA_FILTER as the sign, but 6.1 refuses CTA_FILTER in a flush
  // with EOPNOTSUPP). conntrack-tools 1.4.7 sends version 0: its `-F -f ipv6` empties
  // the whole table. The uapi headers name no version above NFNETLINK_V0.
  const version = f.family ? NFNETLINK_V0 + 1 : NFNETLINK_V0;
  return nfRequest({ subsys: CT, msg: C.IPCTNL_MSG_CT_DELETE, family: f.family, version, operation: 'conntrack flush', expectReply: false,
    attrs: (w) => attrSet.encode(w, f.attrs, 'conntrack') });
}

export const cpuStatsRequest = (): Request => ctRequest(C.IPCTNL_MSG_CT_GET_STATS_CPU, 0, {}, 'conntrack stats', NLM_F_DUMP);
export const countRequest = (): Request => ctRequest(C.IPCTNL_MSG_CT_GET_STATS, 0, {}, 'conntrack count');
export const expectListRequest = (): Request => nfRequest({ subsys: NF.NFNL_SUBSYS_CTNETLINK_EXP, msg: C.IPCTNL_MSG_EXP_GET, flags: NLM_F_DUMP, operation: 'conntrack expect list' });
