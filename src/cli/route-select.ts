// The selectors of `ip route show|flush|save` that the kernel does not filter
// (ip/iproute.c, filter_nlmsg): `root`/`match`/`exact` on the destination and
// on `from`, `via`, `src`, `tos`, `metric`, `mark`, `iif`, `realms`. ip tests
// each route it reads; so does this, and leaves out of the printed route what
// a selector pinned down (a host `via` hides the gateway, as ip's print_route).
import { parseIP } from '../netlink/ip.js';
import type { Route } from '../rtnl/route.js';
import { UsageError, matches } from './args.js';
import { dsfieldNames, parseRealms, parseUnsigned } from './ip-json/iproute2-names.js';
import { type PrefixSelector, addressInPrefix, prefixSelector } from './prefix-match.js';
import type { Words } from '../rtnl/words.js';

export interface RouteSelectors {
  /** `root P`: routes whose prefix is inside P; `match P`: prefixes that contain P; `exact P` (or P): both. */
  rootDst?: PrefixSelector;
  matchDst?: PrefixSelector;
  rootSrc?: PrefixSelector;
  matchSrc?: PrefixSelector;
  via?: PrefixSelector;
  prefsrc?: PrefixSelector;
  tos?: number;
  metric?: number;
  mark?: number;
  /** `realms FROM/TO`: the value and which halves were given. */
  realm?: { value: number; mask: number };
  /** `iif NAME`: resolved to an index when the command runs. */
  iif?: string;
}

/** rtnl_dsfield_a2n: a name from rt_dsfield, or hexadecimal (with or without 0x) up to 0xff. */
export function dsfield(word: string, what = 'TOS'): number {
  const named = dsfieldNames.id(word);
  if (named !== undefined) return named;
  const n = /^(0x)?[0-9a-f]+$/i.test(word) ? parseInt(word.replace(/^0x/i, ''), 16) : NaN;
  if (!(n >= 0 && n <= 255)) throw new UsageError(`Error: argument "${word}" is wrong: ${what} value is invalid`);
  return n;
}

/** The `[to|from] [root|match|exact] PREFIX` forms (`first`: the word after to/from, or a bare destination). */
export function prefixForm(w: Words, first: string, family: 'inet' | 'inet6' | undefined, s: RouteSelectors, side: 'Dst' | 'Src'): void {
  const keyword = side === 'Dst' ? 'to' : 'from';
  let word = first;
  if (matches(word, 'root')) s[`root${side}`] = prefixSelector(w.value('root'), keyword, family);
  else if (matches(word, 'match')) s[`match${side}`] = prefixSelector(w.value('match'), keyword, family);
  else {
    if (matches(word, 'exact')) word = w.value('exact');
    const p = prefixSelector(word, keyword, family);
    s[`root${side}`] = p;
    s[`match${side}`] = p;
  }
}

/**
 * One selector word of `ip route show` (after ip's own keywords for table,
 * protocol, scope, type and dev were tried), read into `s`; false when the
 * word is a destination (the caller then reads it as `to`).
 */
export function readRouteSelector(w: Words, word: string, family: 'inet' | 'inet6' | undefined, s: RouteSelectors): boolean {
  if (word === 'via') {
    let v = w.value('via');
    let fam = family;
    if (v === 'inet' || v === 'inet6') { fam = v; v = w.value('via'); }
    s.via = prefixSelector(v, 'via', fam);
  } else if (word === 'src') s.prefsrc = prefixSelector(w.value('src'), 'src', family);
  else if (matches(word, 'from')) prefixForm(w, w.value('from'), family, s, 'Src');
  else if (word === 'tos' || matches(word, 'dsfield')) s.tos = dsfield(w.value('tos'));
  else if (matches(word, 'metric') || matches(word, 'priority') || word === 'preference') {
    const v = w.value(word);
    const n = parseUnsigned(v);
    if (n === undefined || n > 0xffffffff) throw new UsageError(`Error: argument "${v}" is wrong: "metric" value is invalid`);
    s.metric = n;
  } else if (word === 'mark') {
    const v = w.value(word);
    const n = parseUnsigned(v);
    if (n === undefined || n > 0xffffffff) throw new UsageError(`Error: argument "${v}" is wrong: invalid mark value`);
    s.mark = n;
  } else if (matches(word, 'realms')) {
    const v = w.value('realms');
    const value = parseRealms(v);
    if (value === undefined) throw new UsageError(`Error: argument "${v}" is wrong: invalid realms`);
    let mask = 0xffffffff;
    if ((value & 0xffff) === 0 && v.endsWith('/')) mask &= ~0xffff;
    if ((value & 0xffff0000) === 0 && (!v.includes('/') || v.startsWith('/'))) mask &= ~0xffff0000;
    s.realm = { value, mask: mask >>> 0 };
  } else if (word === 'iif') s.iif = w.value('iif');
  else if (word === 'to') prefixForm(w, w.value('to'), family, s, 'Dst');
  else if (matches(word, 'root') || matches(word, 'match') || matches(word, 'exact')) prefixForm(w, word, family, s, 'Dst');
  else return false;
  return true;
}

const IP_LEN: Record<string, number> = { inet: 4, inet6: 16 };

/** An address of the route (absent: zeros, as ip's memset inet_prefix), as bytes of the route's family. */
function bytesOf(text: string | undefined, len: number): Buffer {
  if (text === undefined) return Buffer.alloc(len);
  try {
    return parseIP(text, 'route');
  } catch {
    return Buffer.alloc(len);
  }
}

const familyOk = (sel: PrefixSelector, len: number): boolean => sel.family === undefined || (sel.family === 4 ? 4 : 16) === len;

/** filter_nlmsg's tests, for one route; `iif` is the selector's index. */
export type SelectedRoute = Pick<Route, 'family' | 'tos' | 'dst' | 'dstLen' | 'src' | 'srcLen' | 'via' | 'gateway' | 'prefsrc' | 'flow' | 'iif' | 'mark' | 'priority'>;

export function routeSelected(s: RouteSelectors, r: SelectedRoute, iif?: number): boolean {
  const len = IP_LEN[r.family];
  if (len === undefined) return true; // MPLS and others: ip's prefix tests do not apply.
  if (s.tos !== undefined && (r.tos ?? 0) !== s.tos) return false;
  const dst = bytesOf(r.dst, len);
  if (s.rootDst && (!familyOk(s.rootDst, len) || s.rootDst.length > r.dstLen || !addressInPrefix(dst, s.rootDst))) return false;
  if (s.matchDst && (!familyOk(s.matchDst, len) || s.matchDst.length < r.dstLen || !addressInPrefix(dst, s.matchDst, r.dstLen))) return false;
  const src = bytesOf(r.src, len);
  if (s.rootSrc && (!familyOk(s.rootSrc, len) || s.rootSrc.length > r.srcLen || !addressInPrefix(src, s.rootSrc))) return false;
  if (s.matchSrc && (!familyOk(s.matchSrc, len) || s.matchSrc.length < r.srcLen || !addressInPrefix(src, s.matchSrc, r.srcLen))) return false;
  if (s.via) {
    const viaLen = r.via !== undefined ? IP_LEN[r.via.family] : len;
    if (!familyOk(s.via, viaLen ?? 0)) return false;
    const gw = r.via !== undefined ? bytesOf(r.via.host, viaLen ?? len) : bytesOf(r.gateway, len);
    if (!addressInPrefix(gw, s.via)) return false;
  }
  if (s.prefsrc && (!familyOk(s.prefsrc, len) || !addressInPrefix(bytesOf(r.prefsrc, len), s.prefsrc))) return false;
  if (s.realm && (((r.flow ?? 0) ^ s.realm.value) & s.realm.mask) !== 0) return false;
  if (iif !== undefined && (r.iif ?? 0) !== iif) return false;
  if (s.mark !== undefined && (r.mark ?? 0) !== s.mark) return false;
  if (s.metric !== undefined && (r.priority ?? 0) !== s.metric) return false;
  return true;
}

/** What print_route leaves out because a selector pinned it: a host `via`/`src`, `tos`, `iif`, `metric`. */
export function routeSelectorsHide(s: RouteSelectors): { gatewayFiltered: boolean; prefsrcFiltered: boolean; tosFiltered: boolean; iifFiltered: boolean; metricFiltered: boolean } {
  const host = (p: PrefixSelector | undefined): boolean => p !== undefined && p.length === (p.family === 6 ? 128 : 32) && p.family !== undefined;
  return { gatewayFiltered: host(s.via), prefsrcFiltered: host(s.prefsrc), tosFiltered: s.tos !== undefined, iifFiltered: s.iif !== undefined, metricFiltered: s.metric !== undefined };
}
