// The requests of netconf (`ip netconf show`): per-device forwarding,
// rp_filter and friends of each family, read from the kernel. Changing them
// is the sysctls' job (netns.writeSysctl). The client's verbs (nl.netconf)
// are derived from the descriptor (families/netconf.ts).
import { AF_UNSPEC } from '../generated/libc/socket.js';
import { RTM_GETNETCONF } from '../generated/linux/rtnetlink.js';
import { EncodeError } from '../netlink/errors.js';
import type { Request } from '../netlink/request.js';
import { type AddressFamily, addressFamilies } from '../rtnl/names.js';
import { type NetconfMessage, netconfMessage } from '../rtnl/netconf.js';
import type { LinkRef } from './link-spec.js';

/** A device by name or index, or the `all` / `default` sysctl directories. */
export type NetconfDev = LinkRef | 'all' | 'default';

/** What `nl.netconf.list()` keeps (`ip netconf show [dev DEV]`, with the family as `ip -4`/`-6`). */
export interface NetconfListFilter {
  /** One family ('inet', 'inet6', 'mpls'); every family by default. */
  family?: AddressFamily;
  /** Only this device's entries (filtered here, as ip does). */
  dev?: NetconfDev;
}

/** The dump request (pure). */
export function netconfListRequest(family: AddressFamily = AF_UNSPEC): Request {
  const m: NetconfMessage = { family };
  return { type: RTM_GETNETCONF, headerSize: netconfMessage.headerSize, operation: 'netconf show', body: (w) => netconfMessage.encodePayload(w, m, 'netconf') };
}

/** The request for one device in one family (pure). */
export function netconfGetRequest(family: AddressFamily, ifindex: number): Request {
  const fam = addressFamilies.encode(family, 'netconf.family');
  if (fam === AF_UNSPEC) throw new EncodeError('netconf.family', 'a netconf lookup needs a family (inet, inet6 or mpls)');
  const m: NetconfMessage = { family, ifindex };
  return { type: RTM_GETNETCONF, headerSize: netconfMessage.headerSize, operation: `netconf show dev ${ifindex}`, body: (w) => netconfMessage.encodePayload(w, m, 'netconf') };
}
