// Addresses in the shape `ip -j address show` prints (ip/ipaddress.c): each
// link as `ip -j link show` prints it, with its addresses in `addr_info`.
import { jsonObjects } from './json-read.js';
import { AF_INET6 } from '../../generated/libc/socket.js';
import * as A from '../../generated/linux/if_addr.js';
import { addressFlags, addressMessage } from '../../rtnl/address.js';
import type { Address } from '../../rtnl/address.js';
import { FOREVER } from '../../rtnl/address-input.js';
import type { Link } from '../../rtnl/link.js';
import { type Json, linkToIpJson, linkToText } from './link.js';
import { scopeNames } from './iproute2-names.js';
import { familyName } from './route.js';

type Obj = Record<string, Json | undefined>;

/** ifa_flag_data of ip/ipaddress.c: the order and names `ip` prints flags in. */
const FLAG_ORDER: [number, string][] = [
  [A.IFA_F_SECONDARY, 'secondary'], [A.IFA_F_NODAD, 'nodad'], [A.IFA_F_OPTIMISTIC, 'optimistic'],
  [A.IFA_F_DADFAILED, 'dadfailed'], [A.IFA_F_HOMEADDRESS, 'home'], [A.IFA_F_DEPRECATED, 'deprecated'],
  [A.IFA_F_TENTATIVE, 'tentative'], [A.IFA_F_PERMANENT, 'permanent'], [A.IFA_F_MANAGETEMPADDR, 'mngtmpaddr'],
  [A.IFA_F_NOPREFIXROUTE, 'noprefixroute'], [A.IFA_F_MCAUTOJOIN, 'autojoin'], [A.IFA_F_STABLE_PRIVACY, 'stable-privacy'],
];

export interface AddressFilter {
  /** `scope S`: addresses of another scope print as empty objects, as iproute2 prints them. */
  scope?: number;
}

/** print_addrinfo in JSON mode. */
export function addressToIpJson(a: Address, filter: AddressFilter = {}): Obj {
  const j: Obj = {};
  // The kernel's numbers behind the header's words, kept by the decoder.
  const k = addressMessage.numbersOf(a);
  const scope = k.scope;
  if (filter.scope !== undefined && filter.scope !== scope) return j;
  const family = k.family;
  const name = familyName(family);
  if (name !== '???') j.family = name;
  else j.family_index = family;
  if (a.local !== undefined) {
    j.local = a.local;
    if (a.address !== undefined && a.address !== a.local) j.address = a.address;
    j.prefixlen = a.prefixlen;
    if (a.priority !== undefined) j.metric = a.priority;
  }
  if (a.broadcast !== undefined) j.broadcast = a.broadcast;
  if (a.anycast !== undefined) j.anycast = a.anycast;
  j.scope = scopeNames.name(scope);
  let flags = addressFlags.encode(a.flags ?? a.ifaFlags, 'flags');
  for (const [bit, flagName] of FLAG_ORDER) {
    if (bit === A.IFA_F_PERMANENT) {
      if (!(flags & bit)) j.dynamic = true;
    } else if (flags & bit) {
      j[bit === A.IFA_F_SECONDARY && family === AF_INET6 ? 'temporary' : flagName] = true;
    }
    flags &= ~bit;
  }
  if (flags) j.ifa_flags = flags.toString(16).padStart(2, '0');
  if (a.label !== undefined) j.label = a.label;
  if (a.cacheinfo) {
    j.valid_life_time = a.cacheinfo.ifa_valid;
    j.preferred_life_time = a.cacheinfo.ifa_prefered;
  }
  return j;
}

export interface AddrShowOptions extends AddressFilter {
  stats?: boolean;
  /** -4 / -6: links without an address of the family are left out, and their link-layer lines too. */
  family?: 'inet' | 'inet6';
  /** Any link of the namespace by index (for the "link" of a veth...). */
  linkOf?: (index: number) => Link | undefined;
  /** -d: the link details, as `ip -d link show` prints them. */
  details?: (l: Link) => Record<string, Json | undefined>;
  /** The selectors of `address show` on addresses (beyond scope); one that fails prints as an empty object, as ip. */
  address?: (a: Address, link: Link) => boolean;
  /** The selectors ip tests while printing a link (up, group...); a link that fails prints as an empty object. */
  link?: (l: Link) => boolean;
  /** -4/-6 as given (the family ip dumps links in); `family` may come from a `to` prefix instead. Default: `family`. */
  dumpFamily?: 'inet' | 'inet6';
  /** `label PATTERN`: ip prints the addresses only, without their link. */
  addressesOnly?: boolean;
  /** -o -j: no link either; each address names its link (index, dev), and a refused link has none. */
  oneline?: boolean;
}

/** `ip -j address show`: links in order, each with the addresses that are its own. */
export function addrShowJson(links: readonly Link[], addrs: readonly Address[], o: AddrShowOptions = {}): Obj[] {
  const out: Obj[] = [];
  const selected = (a: Address, l: Link): boolean => (o.scope === undefined || addressMessage.numbersOf(a).scope === o.scope)
    && (!o.address || o.address(a, l));
  for (const l of links) {
    const own = addrs.filter((a) => a.index === l.index);
    const matching = own.filter((a) => selected(a, l));
    // ipaddr_filter: a link is shown when one of its addresses matches, or when it has none and no family was asked for.
    if (!matching.length && !(own.length === 0 && o.family === undefined)) continue;
    if (o.oneline) {
      const linkOk = !o.link || o.link(l);
      out.push({ addr_info: linkOk ? own.map((a) => (selected(a, l) ? { index: l.index, dev: l.name, ...addressToIpJson(a) } : {})) : [] });
      continue;
    }
    // print_linkinfo refuses the link: ip has opened its JSON object already.
    if (o.link && !o.link(l)) { out.push({}); continue; }
    const addrInfo = own.map((a) => (selected(a, l) ? addressToIpJson(a) : {}));
    if (o.addressesOnly) { out.push({ addr_info: addrInfo }); continue; }
    const j = linkOfAddrShow(linkToIpJson(l, { stats: o.stats, linkOf: o.linkOf, details: o.details }), o.details ? undefined : o.family, 'dumpFamily' in o ? o.dumpFamily : o.family);
    const stats = j.stats64;
    delete j.stats64;
    j.addr_info = addrInfo;
    if (stats !== undefined) j.stats64 = stats;
    out.push(j);
  }
  return out;
}

/** What `ip -6` knows of a link: the kernel's IPv6 link dump (inet6_fill_ifinfo) plus the queue length ip asks for. */
const INET6_LINK_KEYS = new Set(['ifindex', 'link', 'link_index', 'ifname', 'flags', 'mtu', 'operstate', 'txqlen']);

/**
 * print_linkinfo as `ip address` calls it: no link mode, and with -4/-6 no
 * link-layer line (unless -d); with -6 the links come from the IPv6 link dump.
 */
function linkOfAddrShow(j: Obj, family: 'inet' | 'inet6' | undefined, dumpFamily: 'inet' | 'inet6' | undefined): Obj {
  delete j.linkmode;
  delete j.inet6_addr_gen_mode; // ip prints IFLA_AF_SPEC for `ip link` only (do_link)
  if (family !== undefined) for (const k of ['link_type', 'address', 'broadcast', 'link_pointtopoint', 'permaddr']) delete j[k];
  if (dumpFamily === 'inet6') for (const k of Object.keys(j)) if (!INET6_LINK_KEYS.has(k) && k !== 'stats64') delete j[k];
  return j;
}

/** One address as `ip monitor` prints it: `3: eth0    inet 198.18.0.1/24 ...`. */
export function addressToMonitorText(a: Address, dev?: string): string {
  const lines = addressLines(addressToIpJson(a));
  return `${a.index}: ${dev ?? `if${a.index}`}${lines.join('\n')}`;
}

/** The text form of `ip address show`. */
export function addrShowText(j: Obj): string {
  if (j.ifindex === undefined) return jsonObjects(j.addr_info).flatMap((a) => addressLines(a)).join('\n');
  const lines = linkToText({ ...j, addr_info: undefined, stats64: undefined }).split('\n').filter((l) => !l.startsWith('    link/undefined'));
  for (const a of jsonObjects(j.addr_info)) lines.push(...addressLines(a));
  return lines.join('\n');
}

/** print_addrinfo's text lines for one address (none for an address filtered out). */
export function addressLines(a: Obj): string[] {
  if (a.family === undefined && a.family_index === undefined) return [];
  let line = `    ${a.family ?? `family ${a.family_index}`} `;
  // Like ip: no local address (a malformed message), no address part.
  if (a.local !== undefined) {
    line += `${a.local}`;
    if (a.address !== undefined) line += ` peer ${a.address}`;
    line += `/${a.prefixlen} `;
  }
  if (a.metric !== undefined) line += `metric ${a.metric} `;
  if (a.broadcast !== undefined) line += `brd ${a.broadcast} `;
  if (a.anycast !== undefined) line += `any ${a.anycast} `;
  line += `scope ${a.scope} `;
  for (const [k, v] of Object.entries(a)) if (v === true) line += `${k} `;
  if (a.ifa_flags !== undefined) line += `flags ${a.ifa_flags} `;
  if (a.label !== undefined) line += a.label;
  const out = [line];
  if (a.valid_life_time !== undefined) {
    const lft = (n: Json | undefined): string => (n === FOREVER ? 'forever' : `${n}sec`);
    out.push(`       valid_lft ${lft(a.valid_life_time)} preferred_lft ${lft(a.preferred_life_time)}`);
  }
  return out;
}
