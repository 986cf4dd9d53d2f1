// The friendly form of an address request — `{ dev: 'eth0', address:
// '198.18.0.1/24', broadcast: '+' }` — and how it becomes an address
// message, with iproute2's defaults and checks (ip/ipaddress.c,
// ipaddr_modify): IFA_ADDRESS repeats the local address unless there is a
// peer, `broadcast: '+'` sets the host bits, 127/8 gets scope host, flags
// above 0xff go in IFA_FLAGS, lifetimes in IFA_CACHEINFO.
//
// Attributes are written in the order of the input's keys, as iproute2 writes
// them in the order of its arguments; what iproute2 adds after reading all of
// them (IFA_FLAGS, IFA_ADDRESS, a computed broadcast, IFA_CACHEINFO) comes
// last. A decoded Address is a valid input too.
import { AF_INET, AF_INET6 } from '../generated/libc/socket.js';
import { NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE } from '../generated/linux/netlink.js';
import { IFA_F_MCAUTOJOIN } from '../generated/linux/if_addr.js';
import { RTM_DELADDR, RTM_NEWADDR, RT_SCOPE_HOST, RT_SCOPE_UNIVERSE } from '../generated/linux/rtnetlink.js';
import { describe } from '../netlink/describe.js';
import { EncodeError } from '../netlink/errors.js';
import { encodeChecked, fieldsOf } from '../netlink/narrow.js';
import { type Prefix, formatIP, ipFamilyOf, parseIP, parsePrefix } from '../netlink/ip.js';
import { type AddressFlag, type AddressMessageInput, addressFlags, ipv6OnlyAddressFlags, settableAddressFlags } from './address.js';
import { type AddressFamily, type ScopeInput, addressFamilies, scopes } from './names.js';
import { type IfindexOf, type LinkRef, checkIndex, indexOnly } from './route-input.js';

/** The address changes and the message type and flags each sends. */
export const addressOps = {
  add: { type: RTM_NEWADDR, flags: NLM_F_CREATE | NLM_F_EXCL },
  change: { type: RTM_NEWADDR, flags: NLM_F_REPLACE },
  replace: { type: RTM_NEWADDR, flags: NLM_F_CREATE | NLM_F_REPLACE },
  del: { type: RTM_DELADDR, flags: 0 },
} as const;
/** The changes an address takes. */
export type AddressOp = keyof typeof addressOps;

/** The kernel's INFINITY_LIFE_TIME (include/net/addrconf.h, not in the uapi headers): all bits set. */
export const FOREVER = 0xffffffff;

/** A lifetime in seconds, or forever. */
export type Lifetime = number | 'forever';

/** An address as given to `nl.addr.add()` and the other changes: the prefix, the device, and optional attributes. */
export interface AddressInput {
  /** The interface, by name or index (or `index`, as decoded). */
  dev?: LinkRef;
  index?: number;
  family?: AddressFamily;
  /** This host's address with its prefix length, '198.18.0.1/24'. (With `local` also given, as decoded: the peer.) */
  address?: string;
  local?: string;
  /** The other end of a point-to-point address; its length is the prefix length. */
  peer?: string;
  prefixlen?: number;
  /** An address, or '+' / '-' for the prefix's broadcast address with host bits set / cleared (IPv4). */
  broadcast?: string;
  anycast?: string;
  label?: string;
  /** Default: host for 127.0.0.0/8, otherwise global. */
  scope?: ScopeInput;
  /** Only nodad, optimistic, home, mngtmpaddr, noprefixroute and autojoin are sent; the others describe kernel state. */
  flags?: readonly (AddressFlag | `0x${string}`)[] | number;
  /** Seconds, or 'forever' (the default). */
  validLft?: Lifetime;
  preferredLft?: Lifetime;
  /** Metric of the prefix route. */
  priority?: number;
  proto?: AddressMessageInput['proto'];
}

/** Keys a decoded Address has that say nothing a request could use. */
const IGNORED = new Set(['cacheinfo', 'ifaFlags', 'multicast', 'targetNetnsid', 'unknown', 'issues']);
const KNOWN = 'dev, index, family, address, local, peer, prefixlen, broadcast, anycast, label, scope, flags, validLft, preferredLft, priority, proto';

interface Parsed { prefix: Prefix; slash: boolean }

function parse(v: unknown, path: string, family: 4 | 6 | undefined): Parsed {
  const p = parsePrefix(v, path);
  if (family && p.family !== family) throw new EncodeError(path, `"${v}" is an IPv${p.family} address in an IPv${family} request`);
  return { prefix: p, slash: typeof v === 'string' && v.includes('/') };
}

function lifetime(v: unknown, path: string): number {
  if (v === 'forever') return FOREVER;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > FOREVER) {
    throw new EncodeError(path, `expected seconds (0..${FOREVER}) or "forever", got ${describe(v)}`);
  }
  return v;
}

/** The address message for a change (add, replace, change, del), as `ip address` builds it. */
export function addressMessageOf(op: AddressOp, input: AddressInput, ifindex: IfindexOf = indexOnly, path = 'address'): AddressMessageInput {
  if (input === null || typeof input !== 'object') throw new EncodeError(path, `expected an address object, got ${describe(input)}`);
  if (!Object.hasOwn(addressOps, op)) throw new EncodeError('op', `unknown address operation ${describe(op)} (one of: ${Object.keys(addressOps).join(', ')})`);
  const del = op === 'del';
  const localKey = input.local !== undefined ? 'local' : 'address';
  const localText = input[localKey];
  if (localText === undefined) throw new EncodeError(`${path}.address`, 'an address is required, e.g. "198.18.0.1/24"');
  const peerKey = input.peer !== undefined ? 'peer' : localKey === 'local' && input.address !== undefined ? 'address' : undefined;

  let family: 4 | 6 | undefined;
  if (input.family !== undefined) {
    const f = addressFamilies.encode(input.family, `${path}.family`);
    if (f !== AF_INET && f !== AF_INET6) throw new EncodeError(`${path}.family`, 'this version builds inet and inet6 addresses');
    family = f === AF_INET ? 4 : 6;
  }
  const local = parse(localText, `${path}.${localKey}`, family);
  family = local.prefix.family;
  let peer = peerKey ? parse(input[peerKey], `${path}.${peerKey}`, family) : undefined;
  // A decoded address whose IFA_ADDRESS equals its local address has no peer.
  if (peer && peerKey === 'address' && peer.prefix.address === local.prefix.address) peer = undefined;
  const max = family === 4 ? 32 : 128;

  // The prefix length: from the peer when there is one (iproute2), else from the local address.
  const from = peer ?? local;
  const fromKey = peer ? peerKey! : localKey;
  let prefixlen: number;
  if (input.prefixlen !== undefined) {
    const n = input.prefixlen;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > max) throw new EncodeError(`${path}.prefixlen`, `prefix length ${describe(n)} is not 0..${max}`);
    if (from.slash && from.prefix.length !== n) throw new EncodeError(`${path}.prefixlen`, `${n} disagrees with the length in "${input[fromKey]}"`);
    prefixlen = n;
  } else {
    prefixlen = from.prefix.length;
  }
  // `ip addr del 198.18.0.1 dev X` (IPv4, no length) deletes whatever prefix the address has.
  const wildcard = del && !peer && family === 4 && !local.slash && input.prefixlen === undefined;

  const msg: AddressMessageInput = { family: family === 4 ? AF_INET : AF_INET6, prefixlen };
  let flags = 0;
  let computedBroadcast: '+' | '-' | undefined;
  let lifetimes = false;
  for (const [key, v] of fieldsOf(input)) {
    if (v === undefined) continue;
    const p = `${path}.${key}`;
    if (key === localKey) { msg.local = local.prefix.address; continue; }
    if (key === peerKey) { if (peer) msg.address = peer.prefix.address; continue; }
    switch (key) {
      case 'broadcast':
        if (v === '+' || v === '-') computedBroadcast = v;
        else msg.broadcast = formatIP(parseIP(v, p, family));
        break;
      case 'anycast': msg.anycast = formatIP(parseIP(v, p, family)); break;
      case 'label': msg.label = input.label; break;
      case 'priority': msg.priority = input.priority; break;
      case 'proto': msg.proto = input.proto; break;
      case 'scope': msg.scope = encodeChecked(scopes, v, p); break;
      case 'flags': flags |= encodeChecked(addressFlags, v, p) & settableAddressFlags; break;
      case 'validLft': case 'preferredLft': lifetime(v, p); lifetimes = true; break;
      case 'dev': case 'index': case 'family': case 'prefixlen': case 'address': case 'local': case 'peer': break;
      default:
        if (!IGNORED.has(key)) throw new EncodeError(p, `unknown address field (known: ${KNOWN})`);
    }
  }
  if (family === 4 && flags & ipv6OnlyAddressFlags) {
    const names = addressFlags.decode(flags & ipv6OnlyAddressFlags).join(', ');
    throw new EncodeError(`${path}.flags`, `${names}: IPv6 addresses only`);
  }
  if (flags & IFA_F_MCAUTOJOIN && !isMulticast(local.prefix.bytes)) throw new EncodeError(`${path}.flags`, 'autojoin needs a multicast address');
  if (flags > 0xff) msg.flags = flags;
  else if (flags) msg.ifaFlags = flags;
  if (!peer && !wildcard) msg.address = local.prefix.address;
  if (computedBroadcast && !del) {
    if (family !== 4) throw new EncodeError(`${path}.broadcast`, 'a broadcast address is IPv4 only');
    if (prefixlen <= 30) msg.broadcast = broadcastOf(from.prefix.bytes, prefixlen, computedBroadcast);
  }
  if (msg.scope === undefined && !del) msg.scope = family === 4 && local.prefix.bytes[0] === 127 ? RT_SCOPE_HOST : RT_SCOPE_UNIVERSE;
  if (input.dev !== undefined && input.index !== undefined) throw new EncodeError(`${path}.index`, 'give dev or index, not both');
  if (input.dev !== undefined) msg.index = ifindex(input.dev, `${path}.dev`);
  else if (input.index !== undefined) msg.index = checkIndex(input.index, `${path}.index`);
  else throw new EncodeError(`${path}.dev`, 'an address needs an interface (dev)');
  if (lifetimes) {
    const valid = input.validLft === undefined ? FOREVER : lifetime(input.validLft, `${path}.validLft`);
    const preferred = input.preferredLft === undefined ? FOREVER : lifetime(input.preferredLft, `${path}.preferredLft`);
    if (valid === 0) throw new EncodeError(`${path}.validLft`, 'a valid lifetime of 0 would expire the address at once');
    if (preferred > valid) throw new EncodeError(`${path}.preferredLft`, `the preferred lifetime (${preferred}) exceeds the valid lifetime (${valid})`);
    msg.cacheinfo = { ifa_prefered: preferred, ifa_valid: valid };
  }
  return msg;
}

function broadcastOf(bytes: Buffer, prefixlen: number, mode: '+' | '-'): string {
  const b = Buffer.from(bytes);
  for (let bit = prefixlen; bit < 32; bit++) {
    const mask = 0x80 >> (bit & 7);
    if (mode === '+') b[bit >> 3]! |= mask;
    else b[bit >> 3]! &= ~mask;
  }
  return formatIP(b);
}

function isMulticast(bytes: Buffer): boolean {
  return bytes.length === 4 ? (bytes[0]! & 0xf0) === 0xe0 : bytes[0] === 0xff;
}

/** Whether a string is an IP address of either family (for callers sorting their arguments). */
export const isIpAddress = (s: string): boolean => ipFamilyOf(s) !== undefined;
