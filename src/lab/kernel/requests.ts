// The requests a lab's steps become, built by the family descriptors' own
// builders (src/api/families/, the ones nl.link.add and a batch use; nothing
// is sent here), each named by the lab's words for it. Links are named in
// the requests themselves where the kernel allows it; what needs an index (a
// master, an address's or route's device, a qdisc's link) takes it from
// `ifindex`.
import { type NameLookup, pureContext } from '../../api/link-refs.js';
import { linkChanges } from '../../api/families/link.js';
import type { LinkInput, LinkMessage } from '../../api/link-spec.js';
import { addressRequest } from '../../api/families/address.js';
import { routeRequest } from '../../api/families/route.js';
import { EncodeError } from '../../netlink/errors.js';
import type { RouteInput } from '../../rtnl/route-input.js';
import type { Request } from '../../netlink/request.js';
import type { LabQdiscSpec } from '../description.js';
import type { AddressAdd, LinkAdd, LinkOptions, RouteAdd } from '../plan.js';
import { qdiscRequest } from '../../rtnl/tc/qdisc.js';
import { tcChangeRequest, tcRequests } from '../tc.js';

function created(o: LinkOptions): LinkMessage {
  const input: LinkMessage = { name: o.name };
  if (o.mtu !== undefined) input.mtu = o.mtu;
  if (o.mac !== undefined) input.address = o.mac;
  return input;
}

/** Sets a link's alias: the kernel ignores IFLA_IFALIAS in a request that creates the link. */
export function aliasRequest(name: string, alias: string): Request {
  return linkSet(name, { alias }, `link set ${name} alias "${alias}"`);
}

/** `link set NAME ...` by the link family's builder, named `operation`. */
function linkSet(name: string, spec: LinkInput, operation: string): Request {
  return { ...linkChanges.build.set({ ref: name, spec }, pureContext()), operation };
}

/**
 * Creating a bridge or a veth pair, then the aliases of its ends that live
 * in the same namespace. `peerFd` is an fd on the peer's namespace when it is
 * not the one the request is sent in.
 */
export function linkAddRequests(link: Exclude<LinkAdd, { kind: 'tap' }>, peerFd: number | undefined): Request[] {
  const input: LinkInput = created(link);
  if (link.kind === 'bridge') {
    // A VLAN-filtering bridge of a lab has no default VLAN: its ports carry exactly the VLANs the lab lists.
    input.linkinfo = link.vlanFiltering ? { kind: 'bridge', data: { vlanFiltering: true, vlanDefaultPvid: 0 } } : { kind: 'bridge' };
  } else {
    const peer = created(link.peer);
    if (peerFd !== undefined) peer.netnsFd = peerFd;
    input.linkinfo = { kind: 'veth', data: { peer } };
  }
  const what = link.kind === 'veth' ? `link add ${link.name} type veth peer name ${link.peer.name}` : `link add ${link.name} type bridge`;
  const reqs: Request[] = [{ ...linkChanges.build.add(input, pureContext()), operation: what }];
  if (link.alias !== undefined) reqs.push(aliasRequest(link.name, link.alias));
  if (link.kind === 'veth' && peerFd === undefined && link.peer.alias !== undefined) reqs.push(aliasRequest(link.peer.name, link.peer.alias));
  return reqs;
}

/**
 * What a tap gets after TUNSETIFF made it (the ioctl sets no MTU, address or
 * alias): one request for the MTU and address, one for the alias.
 */
export function tapSetRequests(link: LinkOptions): Request[] {
  const reqs: Request[] = [];
  if (link.mtu !== undefined || link.mac !== undefined) {
    const spec: LinkInput = {};
    if (link.mtu !== undefined) spec.mtu = link.mtu;
    if (link.mac !== undefined) spec.address = link.mac;
    reqs.push(linkSet(link.name, spec, `link set ${link.name}`));
  }
  if (link.alias !== undefined) reqs.push(aliasRequest(link.name, link.alias));
  return reqs;
}

export function upRequest(name: string): Request {
  return linkSet(name, { up: true }, `link set ${name} up`);
}

export function masterRequest(name: string, master: number, masterName: string): Request {
  return linkSet(name, { master }, `link set ${name} master ${masterName}`);
}

export function addressAddRequest(a: AddressAdd, ifindex: NameLookup, op: 'add' | 'del' = 'add'): Request {
  return addressRequest(op, { dev: a.dev, address: a.address, ...(a.nodad && op === 'add' ? { flags: ['nodad' as const] } : {}) }, { ifindex });
}

export function routeAddRequest(r: RouteAdd, ifindex: NameLookup, op: 'add' | 'del' = 'add'): Request {
  const input: RouteInput = { dst: r.to };
  if (r.via !== undefined) input.gateway = r.via;
  if (r.dev !== undefined) input.dev = r.dev;
  if (r.metric !== undefined) input.priority = r.metric;
  if (r.src !== undefined) input.prefsrc = r.src;
  return routeRequest(op, input, { ifindex });
}

function indexOf(dev: string, ifindex: NameLookup): number {
  const index = ifindex(dev);
  if (index === undefined) throw new EncodeError('dev', `there is no interface named "${dev}"`);
  return index;
}

export function qdiscAddRequests(dev: string, qdisc: LabQdiscSpec, ifindex: NameLookup): Request[] {
  return tcRequests(qdisc, indexOf(dev, ifindex));
}

/** `tc qdisc change dev DEV root KIND ...`: the root qdisc's new options, nothing else. */
export function qdiscChangeRequest(dev: string, qdisc: LabQdiscSpec, ifindex: NameLookup): Request {
  return tcChangeRequest(qdisc, indexOf(dev, ifindex));
}

/** `tc qdisc del dev DEV root`. */
export function qdiscDeleteRequest(dev: string, ifindex: NameLookup): Request {
  return qdiscRequest('delete', { ifindex: indexOf(dev, ifindex), parent: 'root' });
}
