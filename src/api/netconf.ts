// The typed verbs for netconf (`ip netconf show`): per-device forwarding,
// rp_filter and friends of each family, read from the kernel. Changing them
// is the sysctls' job (netns.writeSysctl).
import { AF_UNSPEC } from '../generated/libc/socket.js';
import { RTM_GETNETCONF } from '../generated/linux/rtnetlink.js';
import { describe } from '../netlink/describe.js';
import { EncodeError } from '../netlink/errors.js';
import type { Request } from '../netlink/request.js';
import { checkIfname } from '../rtnl/codecs.js';
import { type AddressFamily, addressFamilies } from '../rtnl/names.js';
import { NETCONF_ALL, NETCONF_DEFAULT, type Netconf, type NetconfMessage, decodeNetconf, netconfMessage } from '../rtnl/netconf.js';
import type { Requester } from '../socket/netlink-socket.js';
import { listOf } from './dump-verbs.js';
import type { LinkRef } from './link-spec.js';
import type { Resolve } from './name-cache.js';

/** A device by name or index, or the `all` / `default` sysctl directories. */
export type NetconfDev = LinkRef | 'all' | 'default';

/** Which netconf entries: by family, or one device's. */
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

/** Per-device IP configuration (`ip netconf`): forwarding, rp_filter, mc_forwarding, proxy_neigh... */
export class NetconfApi {
  constructor(private readonly sock: Requester, private readonly resolve: Resolve) {}

  /** Every entry, like `ip netconf show` (family by family, as the kernel dumps them). */
  async list(filter: NetconfListFilter = {}): Promise<Netconf[]> {
    if (filter === null || typeof filter !== 'object') throw new EncodeError('netconf', `expected a filter, got ${describe(filter)}`);
    const ifindex = filter.dev === undefined ? undefined : await this.index(filter.dev);
    return listOf(this.sock, { req: netconfListRequest(filter.family), keep: ifindex === undefined ? undefined : (n) => n.ifindex === ifindex }, decodeNetconf);
  }

  /** One device's entry in one family (`ip -4 netconf show dev eth0`). */
  async get(key: { family: AddressFamily; dev: NetconfDev }): Promise<Netconf> {
    if (key === null || typeof key !== 'object') throw new EncodeError('netconf', `expected { family, dev }, got ${describe(key)}`);
    const req = netconfGetRequest(key.family, await this.index(key.dev));
    const [n] = await this.sock.request({ ...req, expectReply: true }, decodeNetconf);
    if (!n) throw new Error(`${req.operation}: the kernel sent no entry`);
    return n;
  }

  private async index(dev: NetconfDev): Promise<number> {
    if (dev === 'all') return NETCONF_ALL;
    if (dev === 'default') return NETCONF_DEFAULT;
    if (typeof dev === 'number') {
      if (!Number.isInteger(dev) || dev <= 0 || dev > 0x7fffffff) throw new EncodeError('netconf.dev', `${describe(dev)} is not an interface index`);
      return dev;
    }
    return this.resolve(checkIfname(dev, 'netconf.dev'));
  }
}
