// The selectors of `ip address show` (ip/ipaddress.c, ipaddr_list_flush_or_save
// and get_filter): which links and which of their addresses are printed.
// Link selectors that the kernel filters (master, type) go into the link dump;
// the rest is decided here, the way ip decides it, empty JSON objects included.
import * as A from '../generated/linux/if_addr.js';
import { addressFlags } from '../rtnl/address.js';
import type { Address } from '../rtnl/address.js';
import type { Link } from '../rtnl/link.js';
import { scopes } from '../rtnl/names.js';
import { UsageError, matches } from './args.js';
import { groupNames, namedId, scopeNames } from './ip-json/iproute2-names.js';
import { type PrefixSelector, addressInPrefix, prefixSelector } from './prefix-match.js';

export const ADDR_SHOW_USAGE = 'usage: address {show|list|flush} [ dev IFNAME ] [ scope SCOPE-ID ] [ master DEVICE | nomaster ]\n'
  + '                     [ type TYPE ] [ to PREFIX ] [ FLAG-LIST ] [ label LABEL ] [ up ]\n'
  + 'FLAG-LIST := [ FLAG-LIST ] FLAG\n'
  + 'FLAG  := [ [-]permanent | [-]dynamic | [-]secondary | [-]primary | [-]tentative | [-]deprecated |\n'
  + '           [-]dadfailed | [-]temporary | CONFFLAG-LIST ]';

export interface AddrShowArgs {
  dev?: string;
  scope?: number;
  /** `up`: only links that are up. */
  up?: boolean;
  /** FLAG-LIST: the bits of `flagMask` must equal those of `flags`. */
  flags?: number;
  flagMask?: number;
  /** `label PATTERN`: a shell pattern (fnmatch) on the address label; links are not printed. */
  label?: string;
  /** `to PREFIX`: addresses inside the prefix. */
  to?: PrefixSelector;
  /** `master DEV` / `vrf DEV` (kernel-side filter), `nomaster` (null). */
  master?: string | null;
  /** `type KIND` (kernel-side) or `type KIND_slave`. */
  kind?: string;
  slaveKind?: string;
  /** `group G`. */
  group?: number;
}

/** ip's ifa_flag_data names (temporary is secondary's bit); dynamic and primary are -permanent and -secondary. */
const FLAG_WORDS: Record<string, number> = {
  secondary: A.IFA_F_SECONDARY, temporary: A.IFA_F_SECONDARY, nodad: A.IFA_F_NODAD, optimistic: A.IFA_F_OPTIMISTIC,
  dadfailed: A.IFA_F_DADFAILED, home: A.IFA_F_HOMEADDRESS, deprecated: A.IFA_F_DEPRECATED, tentative: A.IFA_F_TENTATIVE,
  permanent: A.IFA_F_PERMANENT, mngtmpaddr: A.IFA_F_MANAGETEMPADDR, noprefixroute: A.IFA_F_NOPREFIXROUTE,
  autojoin: A.IFA_F_MCAUTOJOIN, 'stable-privacy': A.IFA_F_STABLE_PRIVACY,
};

/** get_filter: a flag word (`-` inverts it) applied to `a`; false when the word is no flag. */
function flagFilter(word: string, a: AddrShowArgs): boolean {
  let inv = word.startsWith('-');
  let name = inv ? word.slice(1) : word;
  if (name === 'dynamic') { inv = !inv; name = 'permanent'; }
  else if (name === 'primary') { inv = !inv; name = 'secondary'; }
  const bit = Object.hasOwn(FLAG_WORDS, name) ? FLAG_WORDS[name] : undefined;
  if (bit === undefined) return false;
  a.flags = inv ? (a.flags ?? 0) & ~bit : (a.flags ?? 0) | bit;
  a.flagMask = (a.flagMask ?? 0) | bit;
  return true;
}

/** The words of `ip address show|flush`, in ip's order of tests; `family` is -4/-6, which `to` reads its prefix in. */
export function parseAddrShow(words: readonly string[], family?: 'inet' | 'inet6'): AddrShowArgs {
  const a: AddrShowArgs = {};
  const value = (i: number, w: string): string => {
    const v = words[i];
    if (v === undefined) throw new UsageError(`"${w}" needs an argument`);
    return v;
  };
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === 'to') a.to = prefixSelector(value(++i, w), 'to', family);
    else if (w === 'scope') {
      const s = value(++i, w);
      if (s !== 'all') {
        const n = namedId(scopeNames, s, 255);
        if (n === undefined) throw new UsageError(`invalid "scope": ${s}`);
        a.scope = n;
      } else delete a.scope;
    } else if (w === 'up') a.up = true;
    else if (flagFilter(w, a)) continue;
    else if (w === 'label') a.label = value(++i, w);
    else if (w === 'group') {
      const g = value(++i, w);
      const n = namedId(groupNames, g, 0xffffffff);
      if (n === undefined) throw new UsageError(`Invalid "group" value: ${g}`);
      a.group = n;
    } else if (w === 'master' || w === 'vrf') a.master = value(++i, w);
    else if (w === 'nomaster') a.master = null;
    else if (w === 'type') {
      const t = value(++i, w);
      if (t.endsWith('_slave')) a.slaveKind = t.slice(0, -'_slave'.length);
      else a.kind = t;
    } else {
      const dev = w === 'dev' ? value(++i, w) : w;
      if (w !== 'dev' && matches(dev, 'help')) throw new UsageError(ADDR_SHOW_USAGE);
      if (a.dev !== undefined) throw new UsageError(`duplicate "dev": "${dev}" is the second`);
      a.dev = dev;
    }
  }
  return a;
}

/** The family the addresses are listed in: -4/-6, else the family of a `to` prefix (ip sets it from the prefix). */
export function addrShowFamily(a: AddrShowArgs, family?: 'inet' | 'inet6'): 'inet' | 'inet6' | undefined {
  return family ?? (a.to ? (a.to.family === 4 ? 'inet' : 'inet6') : undefined);
}

/** fnmatch(3) without flags: `*`, `?` and `[...]` classes; `/` and a leading `.` are ordinary. */
export function fnmatch(pattern: string, text: string): boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '\\' && i + 1 < pattern.length) re += escape(pattern[++i]!);
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) { re += '\\['; continue; }
      let body = pattern.slice(i + 1, end);
      if (body.startsWith('!')) body = `^${body.slice(1)}`;
      re += `[${body.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else re += escape(c);
  }
  return new RegExp(`^${re}$`, 's').test(text);
}

const escape = (c: string): string => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** print_selected_addrinfo's per-address test (scope, flags, label, to), given the link's name for an address without a label. */
export function addressSelected(a: AddrShowArgs, addr: Pick<Address, 'scope' | 'flags' | 'ifaFlags' | 'label' | 'local'>, linkName: string): boolean {
  if (a.scope !== undefined && scopes.encode(addr.scope, 'scope') !== a.scope) return false;
  if (a.flagMask !== undefined) {
    const flags = addressFlags.encode(addr.flags ?? addr.ifaFlags, 'flags');
    if (((a.flags ?? 0) ^ flags) & a.flagMask) return false;
  }
  if (a.label !== undefined && !fnmatch(a.label, addr.label ?? linkName)) return false;
  if (a.to && addr.local !== undefined && !addressInPrefix(addr.local, a.to)) return false;
  return true;
}

/** print_linkinfo's own tests (up, group, a port's kind): a link that fails prints as an empty JSON object. */
export function linkSelected(a: AddrShowArgs, l: Link): boolean {
  if (a.up && !l.flags.includes('up')) return false;
  if (a.group !== undefined && l.group !== undefined && l.group !== a.group) return false;
  if (a.slaveKind !== undefined && l.linkinfo?.slaveKind !== a.slaveKind) return false;
  return true;
}
