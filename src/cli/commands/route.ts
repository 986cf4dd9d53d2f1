// `netlink-ts route show|get|add|change|replace|prepend|append|test|del`,
// with iproute2's words (ip/iproute.c). The words become a library input,
// keys in the order of the words, so the library writes the attributes in
// the order iproute2 writes them; iproute2's defaults are the library's.
import type { Rtnl } from '../../client.js';
import { RT_TABLE_MAIN } from '../../generated/linux/rtnetlink.js';
import { parsePrefix } from '../../netlink/ip.js';
import { NetlinkError } from '../../netlink/errors.js';
import type { NexthopInput, RouteInput, RouteMetricsInput, RouteOp, RouteQuery } from '../../rtnl/route-input.js';
import type { RouteListFilter } from '../../api/families/route.js';
import type { Route } from '../../rtnl/route.js';
import { routeTypes } from '../../rtnl/names.js';
import { type GlobalOptions, UsageError, matches } from '../args.js';
import { Words } from '../../rtnl/words.js';
import { routeToIpJson, routeToText } from '../ip-json/route.js';
import { type NameDb, dsfieldNames, namedId, parseRealms, protocolNames, scopeNames, tableNames } from '../ip-json/iproute2-names.js';
import type { Output } from '../output.js';
import { parseU32 } from './addr.js';

type Family = 'inet' | 'inet6';

const USAGE = `usage: route { show | flush } [ SELECTOR ]
       route { get ADDRESS | add | del | change | append | replace | prepend } ROUTE
ROUTE := [ TYPE ] PREFIX [ via [ FAMILY ] ADDRESS ] [ dev NAME ] [ table TABLE ] [ proto PROTO ]
         [ scope SCOPE ] [ metric N ] [ src ADDRESS ] [ METRICS ] [ onlink ] [ nexthop NH ]...`;

/** ip route's words, with ip's message for a keyword missing its value. */
const routeWords = (words: readonly string[]): Words =>
  new Words(words, 'route', (key) => `"${key}": command line is not complete. Try option "help"`);

function familyOfWord(word: string): Family | undefined {
  try { return parsePrefix(word, '').family === 4 ? 'inet' : 'inet6'; } catch { return undefined; }
}

function named(db: NameDb, word: string, max: number, what: string): number {
  const n = namedId(db, word, max);
  if (n === undefined) throw new UsageError(`"${what}" value is invalid: ${word}`);
  return n;
}

/** ip's rtnl_rtntype_a2n: a route type word, or undefined when the word is not one. */
export function routeTypeWord(w: string): string | undefined {
  if (/^[0-9]/.test(w)) return undefined;
  if (w === 'local' || w === 'nat') return w;
  if (matches(w, 'broadcast') || w === 'brd') return 'broadcast';
  for (const t of ['anycast', 'multicast', 'prohibit', 'unreachable', 'blackhole', 'xresolve', 'unicast']) if (matches(w, t)) return t;
  if (w === 'throw') return w;
  return undefined;
}

/** get_time_rtt: "100ms", "1s", "1.5s" → ms; a bare number is raw (already in kernel units). */
function timeRtt(word: string, what: string): { ms: number; raw: boolean } {
  const m = /^(\d+(?:\.\d*)?|\.\d+)(s|sec|secs|ms|msec|msecs)?$/i.exec(word);
  if (!m) throw new UsageError(`"${what}" value is invalid: ${word}`);
  let t = Number(m[1]);
  if (m[2] && /^s/i.test(m[2])) t *= 1000;
  return { ms: Math.ceil(t), raw: m[2] === undefined };
}

const METRIC_WORDS: [string, keyof RouteMetricsInput, 'exact' | 'prefix'][] = [
  ['mtu', 'mtu', 'exact'], ['hoplimit', 'hoplimit', 'exact'], ['advmss', 'advmss', 'exact'],
  ['reordering', 'reordering', 'prefix'], ['window', 'window', 'prefix'], ['cwnd', 'cwnd', 'prefix'],
  ['initcwnd', 'initcwnd', 'prefix'], ['initrwnd', 'initrwnd', 'prefix'], ['ssthresh', 'ssthresh', 'prefix'],
];

function parseNexthop(w: Words): NexthopInput {
  const nh: NexthopInput = {};
  while (!w.done) {
    const word = w.peek();
    if (word === 'via') {
      w.next();
      let a = w.value('via');
      if (a === 'inet' || a === 'inet6') a = w.value('via');
      nh.gateway = a;
    } else if (word === 'dev') { w.next(); nh.dev = w.value('dev'); }
    else if (word === 'weight') {
      w.next();
      const n = parseU32(w.value('weight'), 'weight');
      if (n === 0 || n > 256) throw new UsageError(`"weight" is invalid: ${n}`);
      nh.weight = n;
    } else if (word === 'onlink') { w.next(); nh.onlink = true; }
    else if (matches(word, 'realms')) { w.next(); nh.flow = realms(w.value('realms')); }
    else break;
  }
  return nh;
}

function realms(word: string): number {
  const flow = parseRealms(word);
  if (flow === undefined) throw new UsageError(`"realm" value is invalid: ${word}`);
  return flow;
}

/** The words of `ip route add|change|replace|prepend|append|test|del` as a library input (ip/iproute.c, iproute_modify). */
export function parseRouteChange(words: readonly string[], family?: Family): RouteInput {
  const w = routeWords(words);
  const r: RouteInput = {};
  let fam = family;
  const seen = (a: string): void => { fam ??= familyOfWord(a); };
  let metrics: RouteMetricsInput | undefined;
  const lock: string[] = [];
  const metric = (key: keyof RouteMetricsInput, value: unknown): void => {
    metrics ??= {};
    (metrics as Record<string, unknown>)[key] = value;
  };
  let dstSeen = false;
  while (!w.done) {
    const word = w.next();
    if (word === 'src') { r.prefsrc = w.value('src'); seen(r.prefsrc); }
    else if (word === 'via') {
      if (r.gateway !== undefined) throw new UsageError('use nexthop syntax to specify multiple via');
      let a = w.value('via');
      if (a === 'inet' || a === 'inet6') a = w.value('via');
      r.gateway = a;
      seen(a);
    } else if (word === 'from') { r.src = w.value('from'); seen(r.src); }
    else if (word === 'tos' || matches(word, 'dsfield')) {
      const t = w.value('tos');
      const n = dsfieldNames.id(t) ?? (/^[0-9a-f]+$/i.test(t) ? parseInt(t, 16) : NaN);
      if (!(n >= 0 && n <= 255)) throw new UsageError(`"tos" value is invalid: ${t}`);
      r.tos = n;
    } else if (word === 'expires') r.expires = parseU32(w.value(word), 'expires');
    else if (matches(word, 'metric') || matches(word, 'priority') || word === 'preference') r.priority = parseU32(w.value(word), 'metric');
    else if (word === 'scope') r.scope = named(scopeNames, w.value(word), 255, 'scope');
    else if (METRIC_WORDS.some(([m, , kind]) => (kind === 'exact' ? word === m : matches(word, m)))) {
      const [, key] = METRIC_WORDS.find(([m, , kind]) => (kind === 'exact' ? word === m : matches(word, m)))!;
      let v = w.value(word);
      if (v === 'lock') { lock.push(key); v = w.value(word); }
      const n = parseU32(v, key);
      if (key === 'hoplimit' && n > 255) throw new UsageError(`"hoplimit" value is invalid: ${v}`);
      metric(key, n);
    } else if (word === 'rtt' || matches(word, 'rttvar')) {
      const key = word === 'rtt' ? 'rtt' : 'rttvar';
      let v = w.value(word);
      if (v === 'lock') { lock.push(key); v = w.value(word); }
      const t = timeRtt(v, key);
      metric(key, t.raw ? t.ms : t.ms * (key === 'rtt' ? 8 : 4));
    } else if (word === 'rto_min') {
      lock.push('rtoMin');
      metric('rtoMin', timeRtt(w.value(word), word).ms);
    } else if (matches(word, 'features')) {
      const f = w.value(word);
      if (f !== 'ecn') throw new UsageError(`"features" value not valid: ${f}`);
      metric('features', ['ecn']);
    } else if (matches(word, 'quickack') || matches(word, 'fastopen_no_cookie')) {
      const key = matches(word, 'quickack') ? 'quickack' : 'fastopenNoCookie';
      const n = parseU32(w.value(word), word);
      if (n > 1) throw new UsageError(`"${word}" value should be 0 or 1`);
      metric(key, n);
    } else if (matches(word, 'congctl')) {
      let v = w.value(word);
      if (v === 'lock') { lock.push('congctl'); v = w.value(word); }
      metric('congctl', v);
    } else if (matches(word, 'realms')) r.flow = realms(w.value(word));
    else if (word === 'onlink') r.onlink = true;
    else if (word === 'nexthop') {
      const nexthops: NexthopInput[] = [];
      for (let n: string | undefined = word; n !== undefined; n = w.done ? undefined : w.next()) {
        if (n !== 'nexthop') throw new UsageError(`"nexthop" or end of line is expected instead of "${n}"`);
        if (w.done) throw new UsageError('unexpected end of line after "nexthop"');
        nexthops.push(parseNexthop(w));
      }
      r.nexthops = nexthops;
    } else if (word === 'nhid') r.nhid = parseU32(w.value(word), 'id');
    else if (matches(word, 'protocol')) r.protocol = named(protocolNames, w.value(word), 255, 'protocol');
    else if (matches(word, 'table')) {
      const t = w.value(word);
      r.table = named(tableNames, t, 0xffffffff, 'table');
    } else if (word === 'dev' || word === 'oif') r.dev = w.value(word);
    else if (matches(word, 'pref')) {
      const p = w.value(word);
      r.pref = p === 'low' || p === 'medium' || p === 'high' ? p : parseU32(p, 'pref');
    } else if (word === 'ttl-propagate') {
      const v = w.value(word);
      if (matches(v, 'enabled')) r.ttlPropagate = 1;
      else if (matches(v, 'disabled')) r.ttlPropagate = 0;
      else throw new UsageError(`"ttl-propagate" value is invalid: ${v}`);
    } else if (word === 'encap' || word === 'as' || matches(word, 'vrf')) {
      throw new UsageError(`"${word}" is not supported by this version`);
    } else {
      let d = word === 'to' ? w.value('to') : word;
      const type = routeTypeWord(d);
      if (type !== undefined) { r.type = type as RouteInput['type']; d = w.value('type'); }
      if (matches(d, 'help')) throw new UsageError(USAGE);
      if (dstSeen) throw new UsageError(`duplicate "to": "${d}" is the second`);
      dstSeen = true;
      // With -4/-6, iproute2 sends "default" as an all-zero address.
      r.dst = d === 'default' && family ? (family === 'inet' ? '0.0.0.0/0' : '::/0') : d;
      if (d !== 'default') seen(d);
    }
  }
  if (!dstSeen) throw new UsageError(USAGE);
  if (metrics) {
    if (lock.length) (metrics as RouteMetricsInput).lock = lock as RouteMetricsInput['lock'];
    r.metrics = metrics;
  }
  if (family) r.family = family;
  return r;
}

/** The words of `ip route get` as a lookup (ip/iproute.c, iproute_get). */
export function parseRouteGet(words: readonly string[], family?: Family): RouteQuery {
  const w = routeWords(words);
  const q: Partial<RouteQuery> = {};
  while (!w.done) {
    const word = w.next();
    if (word === 'tos' || matches(word, 'dsfield')) {
      const t = w.value('tos');
      const n = dsfieldNames.id(t) ?? (/^[0-9a-f]+$/i.test(t) ? parseInt(t, 16) : NaN);
      if (!(n >= 0 && n <= 255)) throw new UsageError(`TOS value is invalid: ${t}`);
      q.tos = n;
    } else if (matches(word, 'from')) q.from = w.value('from');
    else if (matches(word, 'iif')) q.iif = w.value('iif');
    else if (matches(word, 'mark')) q.mark = parseU32(w.value('mark'), 'mark');
    else if (matches(word, 'oif') || word === 'dev') q.oif = w.value(word);
    else if (matches(word, 'uid')) q.uid = parseU32(w.value('uid'), 'uid');
    else if (matches(word, 'fibmatch')) q.fibMatch = true;
    else if (matches(word, 'sport')) q.sport = parseU32(w.value('sport'), 'sport');
    else if (matches(word, 'dport')) q.dport = parseU32(w.value('dport'), 'dport');
    else if (matches(word, 'ipproto')) q.ipProto = parseU32(w.value('ipproto'), 'ipproto');
    else if (matches(word, 'notify') || matches(word, 'connected') || matches(word, 'vrf') || word === 'as') {
      throw new UsageError(`"${word}" is not supported by this version`);
    } else {
      const d = word === 'to' ? w.value('to') : word;
      if (matches(d, 'help')) throw new UsageError(USAGE);
      q.dst = d;
    }
  }
  if (q.dst === undefined) throw new UsageError('need at least a destination address');
  if (family) q.family = family;
  return q as RouteQuery;
}

export interface RouteShowArgs {
  filter: RouteListFilter;
  /** What iproute2 leaves out of its output because the command line filtered on it. */
  showTable: boolean;
  devFiltered: boolean;
  protocolFiltered: boolean;
  scopeFiltered: boolean;
  /** `ip route show PREFIX`: only that exact prefix. */
  exact?: { dst: string; len: number };
}

/** The words of `ip route show` (ip/iproute.c, iproute_list_flush_or_save). */
export function parseRouteShow(words: readonly string[], family?: Family): RouteShowArgs {
  const w = routeWords(words);
  const filter: RouteListFilter = {};
  let table: number | 'all' = RT_TABLE_MAIN;
  const a: RouteShowArgs = { filter, showTable: false, devFiltered: false, protocolFiltered: false, scopeFiltered: false };
  while (!w.done) {
    const word = w.next();
    if (matches(word, 'table')) {
      const t = w.value('table');
      if (t === 'all') table = 'all';
      else if (t === 'cache') filter.cloned = true;
      else table = named(tableNames, t, 0xffffffff, 'table');
    } else if (matches(word, 'cached') || matches(word, 'cloned')) filter.cloned = true;
    else if (matches(word, 'protocol')) {
      const p = w.value('protocol');
      if (p !== 'all') { filter.protocol = named(protocolNames, p, 255, 'protocol'); a.protocolFiltered = true; }
    } else if (matches(word, 'scope')) {
      const s = w.value('scope');
      if (s !== 'all') { filter.scope = named(scopeNames, s, 255, 'scope'); a.scopeFiltered = true; }
    } else if (matches(word, 'type')) {
      const t = w.value('type');
      const name = routeTypeWord(t) ?? t;
      routeTypes.encode(name as never, 'type');
      filter.type = name as never;
    } else if (word === 'dev' || word === 'oif') { filter.dev = w.value(word); a.devFiltered = true; }
    else {
      let d = word === 'to' ? w.value('to') : word;
      if (d === 'exact') d = w.value('exact');
      else if (d === 'root' || d === 'match') throw new UsageError(`"${d}" is not supported by this version`);
      if (matches(d, 'help')) throw new UsageError(USAGE);
      const p = parsePrefix(d === 'default' ? (family === 'inet6' ? '::/0' : '0.0.0.0/0') : d, 'prefix');
      a.exact = { dst: p.address, len: p.length };
    }
  }
  if (table !== 'all') filter.table = table;
  a.showTable = table === 'all';
  filter.family = family ?? (table === 'all' ? undefined : 'inet');
  return a;
}

const VERBS: [string, RouteOp | 'show' | 'get' | 'flush', number][] = [
  ['add', 'add', 1], ['change', 'change', 1], ['chg', 'change', 3], ['replace', 'replace', 1], ['prepend', 'prepend', 1],
  ['append', 'append', 1], ['test', 'test', 1], ['delete', 'del', 1], ['list', 'show', 1], ['show', 'show', 1],
  ['lst', 'show', 1], ['get', 'get', 1], ['flush', 'flush', 1],
];

/** What `ip route show` with these words would print, beyond the kernel's filter: the device as RTA_OIF, an exact prefix. */
function shownBy(a: RouteShowArgs, devIndex: number | undefined): (r: Route) => boolean {
  return (r) => (a.filter.dev === undefined || r.oif === devIndex)
    && (!a.exact || (r.dstLen === a.exact.len && (r.dst ?? (r.family === 'inet6' ? '::' : '0.0.0.0')) === a.exact.dst));
}

export async function routeCommand(nl: Rtnl, words: string[], opts: GlobalOptions, out: Output): Promise<void> {
  const verb = words[0] ?? 'show';
  const hit = VERBS.find(([full, , min]) => matches(verb, full, min) && (full !== 'chg' || verb === 'chg'));
  if (!hit) throw new UsageError(`route: unknown command "${verb}"\n${USAGE}`);
  const rest = words.slice(1);
  const action = hit[1];
  if (action === 'flush') {
    if (rest.length === 0) throw new UsageError('"ip route flush" requires arguments.', 1);
    const a = parseRouteShow(rest, opts.family);
    const devIndex = a.filter.dev === undefined ? undefined : await nl.ifindex(a.filter.dev);
    await nl.route.flush({ ...a.filter, where: shownBy(a, devIndex) });
    return;
  }
  if (action === 'show' || action === 'get') {
    const links = await nl.link.list();
    const names = new Map(links.map((l) => [l.index, l.name ?? `if${l.index}`]));
    const ifname = (i: number): string => names.get(i) ?? `if${i}`;
    if (action === 'get') {
      const row = routeToIpJson(await nl.route.get(parseRouteGet(rest, opts.family)), { ifname, showTable: true, stats: opts.stats });
      if (opts.json) out.json([row]);
      else out.line(routeToText(row));
      return;
    }
    const a = parseRouteShow(rest, opts.family);
    const json = { ifname, showTable: a.showTable, devFiltered: a.devFiltered, protocolFiltered: a.protocolFiltered, scopeFiltered: a.scopeFiltered, stats: opts.stats };
    // iproute2 also checks RTA_OIF itself, which leaves out multipath routes through the device.
    const shown = shownBy(a, links.find((l) => l.name === a.filter.dev)?.index);
    // Printed as the dump is read: a table of any size in flat memory, and the first lines out before the dump ends.
    const rows = out.rows(opts.json === true);
    try {
      for await (const r of nl.route.stream(a.filter)) {
        if (!shown(r)) continue;
        const row = routeToIpJson(r, json);
        rows.add(opts.json ? row : routeToText(row));
      }
    } catch (err) {
      // The table changed during the dump (NLM_F_DUMP_INTR, known once the dump is read to its end):
      // what was read is printed, as ip prints it, with ip's warning; it cannot be read again once printed.
      if (!(err instanceof NetlinkError && err.code === 'EINTR')) throw err;
      process.stderr.write('Dump was interrupted and may be inconsistent.\n');
    }
    rows.end();
    return;
  }
  await nl.route.change(action, parseRouteChange(rest, opts.family));
}
