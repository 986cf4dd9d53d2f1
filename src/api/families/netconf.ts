// The netconf family (docs/architecture.md, "The family descriptor"; docs/netconf.md).
// The client's verbs (nl.netconf: list, get) are derived from this descriptor.
import { AF_INET, AF_INET6, AF_MPLS } from '../../generated/libc/socket.js';
import * as R from '../../generated/linux/rtnetlink.js';
import { describe } from '../../netlink/describe.js';
import { EncodeError } from '../../netlink/errors.js';
import { checkIfname } from '../../rtnl/codecs.js';
import { type AddressFamily, addressFamilies } from '../../rtnl/names.js';
import { NETCONF_ALL, NETCONF_DEFAULT, type Netconf, decodeNetconf, netconfMessage } from '../../rtnl/netconf.js';
import type { FamilyApi } from '../engine.js';
import type { FamilyDescriptor } from '../family.js';
import { type NetconfDev, type NetconfListFilter, netconfGetRequest, netconfListRequest } from '../netconf.js';

const GROUP_OF: Record<number, number> = { [AF_INET]: R.RTNLGRP_IPV4_NETCONF, [AF_INET6]: R.RTNLGRP_IPV6_NETCONF, [AF_MPLS]: R.RTNLGRP_MPLS_NETCONF };

/** What get() takes: one device (or `all`, `default`) in one family. */
export interface NetconfQuery {
  family: AddressFamily;
  dev: NetconfDev;
}

/** The sysctl directories by their ifindex; a device by index as it is; a name asked of `byName`. */
function netconfIndex(dev: NetconfDev, byName: (name: string) => number): number;
function netconfIndex(dev: NetconfDev, byName: (name: string) => Promise<number>): number | Promise<number>;
function netconfIndex(dev: NetconfDev, byName: (name: string) => number | Promise<number>): number | Promise<number> {
  if (dev === 'all') return NETCONF_ALL;
  if (dev === 'default') return NETCONF_DEFAULT;
  if (typeof dev === 'number') {
    if (!Number.isInteger(dev) || dev <= 0 || dev > 0x7fffffff) throw new EncodeError('netconf.dev', `${describe(dev)} is not an interface index`);
    return dev;
  }
  return byName(dev);
}

function checkObject<T>(v: T, what: string): T & object {
  if (v === null || typeof v !== 'object') throw new EncodeError('netconf', `expected ${what}, got ${describe(v)}`);
  return v;
}

/** The netconf family's descriptor (RTM_*NETCONF): `nl.netconf`'s verbs and its events derive from it (`ip netconf`). */
export const netconfFamily: FamilyDescriptor<Netconf, 'netconf', 'list' | 'get', object, NetconfListFilter, NetconfQuery> = {
  kind: 'netconf',
  schema: netconfMessage,
  getType: R.RTM_GETNETCONF,
  verbs: ['list', 'get'],
  newType: R.RTM_NEWNETCONF,
  delType: R.RTM_DELNETCONF,
  groups: [R.RTNLGRP_IPV4_NETCONF, R.RTNLGRP_IPV6_NETCONF, R.RTNLGRP_MPLS_NETCONF],
  groupOf: (n) => GROUP_OF[addressFamilies.encode(n.family, 'netconf.family')],
  decode: decodeNetconf,
  // One entry per family and device; a change announces the attributes that changed only.
  key: (n) => `${String(n.family)} ${n.ifindex}`,
  dump: [netconfListRequest()],
  // Family by family, as the kernel dumps them; the device is filtered here, as ip does.
  async dumpFilter(filter = {}, { resolve }) {
    checkObject(filter, 'a filter');
    const ifindex = filter.dev === undefined ? undefined : await netconfIndex(filter.dev, (name) => resolve(checkIfname(name, 'netconf.dev')));
    return { req: netconfListRequest(filter.family), keep: ifindex === undefined ? undefined : (n) => n.ifindex === ifindex };
  },
  // `ip -4 netconf show dev eth0`.
  get: {
    noun: 'entry',
    // An unknown device name is the lookup's own NetlinkError (ENODEV), as docs/errors.md says.
    nameError: (err) => err,
    request: (key, ctx) => netconfGetRequest(checkObject(key, '{ family, dev }').family, netconfIndex(key.dev, (name) => ctx.ifindex(name, 'netconf.dev'))),
  },
};

/** `nl.netconf`: list and get, derived from the descriptor. */
export type NetconfApi = FamilyApi<typeof netconfFamily>;
