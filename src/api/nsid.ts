// Namespace ids: the numbers by which this network namespace knows others
// (`ip netns set NAME ID`, `ip netns list-id`), and the names behind them —
// which is how a veth's peer namespace, reported as IFLA_LINK_NETNSID, is
// shown by name (`ip link` prints `link-netns NAME`).
import { AF_UNSPEC } from '../generated/libc/socket.js';
import { NETNSA_NSID_NOT_ASSIGNED } from '../generated/linux/net_namespace.js';
import { RTM_GETNSID, RTM_NEWNSID } from '../generated/linux/rtnetlink.js';
import { describe } from '../netlink/describe.js';
import { EncodeError } from '../netlink/errors.js';
import { list as listNames } from '../netns/named.js';
import { type NetnsRef, describeRef, withNetnsFd } from '../netns/ref.js';
import { type NsidInput, type NsidMessage, decodeNsid, nsidMessage } from '../rtnl/nsid.js';
import type { Decoder, Request } from '../netlink/request.js';
import type { Requester } from '../socket/netlink-socket.js';


export function nsidRequest(type: number, flags: number, value: NsidInput, operation: string): Request {
  return {
    type, flags, operation, headerSize: nsidMessage.headerSize,
    body: (w) => nsidMessage.encodePayload(w, { family: AF_UNSPEC, ...value }, 'nsid'),
  };
}

/** One entry of `ip netns list-id`. */
export interface NsidEntry {
  nsid: number;
  /** With a target namespace: the id of the listed namespace as seen from ours. */
  currentNsid?: number;
  /** Its name under /run/netns, when one of them is it. */
  name?: string;
}

const assigned = (n: number | undefined): number | undefined => (n === undefined || n === NETNSA_NSID_NOT_ASSIGNED ? undefined : n);

function checkNsid(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0x7fffffff) throw new EncodeError(path, `${describe(v)} is not a namespace id (0 to 2^31-1)`);
  return v;
}

/** Namespace ids (`ip netns set`/`list-id`): the numbers this namespace gives other namespaces. */
export class NsidApi {
  constructor(private readonly sock: Requester) {}

  /** Runs a request naming `netns` by pid (NETNSA_PID) or by an fd opened just for it (NETNSA_FD). */
  private about<T>(netns: NetnsRef, operation: string, fn: (who: NsidInput) => Promise<T>): Promise<T> {
    if (typeof netns === 'object' && netns !== null && 'pid' in netns) {
      describeRef(netns);
      return fn({ pid: netns.pid });
    }
    return withNetnsFd(netns, (fd) => fn({ fd }), operation);
  }

  /** Assigns an id to a namespace, like `ip netns set NAME ID`; 'auto' lets the kernel pick. EEXIST if it has one. */
  async set(netns: NetnsRef, nsid: number | 'auto'): Promise<void> {
    const id = nsid === 'auto' ? NETNSA_NSID_NOT_ASSIGNED : checkNsid(nsid, 'nsid');
    const operation = `netns set ${describeRef(netns).label} ${nsid}`;
    await this.about(netns, operation, (who) => this.sock.request(nsidRequest(RTM_NEWNSID, 0, { ...who, nsid: id }, operation)));
  }

  /** The id this namespace has for `netns`, or undefined when it has none. */
  async get(netns: NetnsRef): Promise<number | undefined> {
    const operation = `netns get-id ${describeRef(netns).label}`;
    const [reply] = await this.about(netns, operation, (who) => this.sock.request(nsidRequest(RTM_GETNSID, 0, who, operation), decodeNsid));
    return assigned(reply?.nsid);
  }

  /** id → name, for the named namespaces that have an id here (iproute2's netns map). */
  async names(): Promise<Map<number, string>> {
    const map = new Map<number, string>();
    for (const name of listNames()) {
      let id: number | undefined;
      try {
        id = await this.get(name);
      } catch {
        continue; // a stale name file, or one that vanished meanwhile
      }
      if (id !== undefined && !map.has(id)) map.set(id, name);
    }
    return map;
  }

  /** The name of the namespace known here by this id. */
  async nameOf(nsid: number): Promise<string | undefined> {
    if (!Number.isInteger(nsid) || nsid < 0) return undefined;
    return (await this.names()).get(nsid);
  }

  /** The named namespace a link's other end lives in (IFLA_LINK_NETNSID), e.g. a veth's peer. */
  async peerNetns(link: { linkNetnsid?: number }): Promise<string | undefined> {
    return link.linkNetnsid === undefined ? undefined : this.nameOf(link.linkNetnsid);
  }

  /**
   * Every id this namespace has assigned, like `ip netns list-id`; with
   * targetNsid, the ids as that namespace sees them (currentNsid then says
   * how we know each one).
   */
  async list(opts: { targetNsid?: number } = {}): Promise<NsidEntry[]> {
    const value: NsidInput = {};
    if (opts.targetNsid !== undefined) value.targetNsid = checkNsid(opts.targetNsid, 'targetNsid');
    const msgs = await this.sock.dump(nsidRequest(RTM_GETNSID, 0, value, 'netns list-id'), decodeNsid);
    const names = await this.names();
    return msgs.filter((m) => m.nsid !== undefined).map((m) => {
      const e: NsidEntry = { nsid: m.nsid! };
      if (m.currentNsid !== undefined) e.currentNsid = m.currentNsid;
      const name = names.get(m.currentNsid ?? m.nsid!);
      if (name !== undefined) e.name = name;
      return e;
    });
  }
}
