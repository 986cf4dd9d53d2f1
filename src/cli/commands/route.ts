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
import { type NameDb, ipProtocolNames, namedId, parseRealms, protocolNames, scopeNames, tableNames } from '../ip-json/iproute2-names.js';
import type { Output } from '../output.js';
import { parseU32 } from './addr.js';
import { parseEncapWords } from '../route-encap-args.js';
import { parseMplsRoute } from '../route-mpls-args.js';
import { type RouteSelectors, dsfield, prefixForm, readRouteSelector, routeSelected, routeSelectorsHide } from '../route-select.js';
import { readRouteDump, restoreRoutes, saveRoutes } from '../../api/route-save.js';
import { readFileSync } from 'node:fs';

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
    else if (word === 'encap') { w.next(); nh.encap = w.read(parseEncapWords).encap; }
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
      r.tos = dsfield(w.value('tos'), '"tos"');
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
    } else if (word === 'encap') {
      r.encap = w.read(parseEncapWords).encap;
    } else if (word === 'as' || matches(word, 'vrf')) {
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
      q.tos = dsfield(w.value('tos'));
    } else if (matches(word, 'from')) q.from = w.value('from');
    else if (matches(word, 'iif')) q.iif = w.value('iif');
    else if (matches(word, 'mark')) q.mark = parseU32(w.value('mark'), 'mark');
    else if (matches(word, 'oif') || word === 'dev') q.oif = w.value(word);
    else if (matches(word, 'uid')) q.uid = parseU32(w.value('uid'), 'uid');
    else if (matches(word, 'fibmatch')) q.fibMatch = true;
    else if (matches(word, 'sport')) q.sport = parseU32(w.value('sport'), 'sport');
    else if (matches(word, 'dport')) q.dport = parseU32(w.value('dport'), 'dport');
    else if (matches(word, 'ipproto')) {
      const v = w.value('ipproto');
      const n = namedId(ipProtocolNames, v, 255);
      if (n === undefined) throw new UsageError(`Error: argument "${v}" is wrong: Invalid "ipproto" value`);
      q.ipProto = n;
    }
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
  /** The selectors ip tests on each route it reads (src/cli/route-select.ts). */
  select: RouteSelectors;
}

/** The words of `ip route show` (ip/iproute.c, iproute_list_flush_or_save). */
export function parseRouteShow(words: readonly string[], family?: Family): RouteShowArgs {
  const w = routeWords(words);
  const filter: RouteListFilter = {};
  let table: number | 'all' = RT_TABLE_MAIN;
  const a: RouteShowArgs = { filter, showTable: false, devFiltered: false, protocolFiltered: false, scopeFiltered: false, select: {} };
  while (!w.done) {
    const word = w.next();
    if (matches(word, 'table')) {
      const t = w.value('table');
      if (t === 'all') table = 'all';
      else if (t === 'cache') filter.cloned = true;
      else {
        const n = namedId(tableNames, t, 0xffffffff);
        if (n === undefined) throw new UsageError(matches(t, 'help') ? USAGE : `Error: argument "${t}" is wrong: table id value is invalid`);
        table = n;
      }
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
    else if (!readRouteSelector(w, word, family, a.select)) {
      if (matches(word, 'help')) throw new UsageError(USAGE);
      prefixForm(w, word, family, a.select, 'Dst'); // not a keyword: the destination, ip's "exact" form
    }
  }
  if (table !== 'all') filter.table = table;
  a.showTable = table === 'all';
  filter.family = family ?? (table === 'all' ? undefined : 'inet');
  return a;
}

const VERBS: [string, RouteOp | 'show' | 'get' | 'flush' | 'save' | 'restore' | 'showdump', number][] = [
  ['add', 'add', 1], ['change', 'change', 1], ['chg', 'change', 3], ['replace', 'replace', 1], ['prepend', 'prepend', 1],
  ['append', 'append', 1], ['test', 'test', 1], ['delete', 'del', 1], ['list', 'show', 1], ['show', 'show', 1],
  ['lst', 'show', 1], ['get', 'get', 1], ['flush', 'flush', 1], ['save', 'save', 1], ['restore', 'restore', 1], ['showdump', 'showdump', 1],
];

/** What `ip route show` with these words would print, beyond the kernel's filter: the device as RTA_OIF, the selectors. */
async function shownBy(nl: Rtnl, a: RouteShowArgs): Promise<(r: Route) => boolean> {
  const devIndex = a.filter.dev === undefined ? undefined : await nl.ifindex(a.filter.dev);
  const iif = a.select.iif === undefined ? undefined : await nl.ifindex(a.select.iif);
  return (r) => (a.filter.dev === undefined || r.oif === devIndex) && routeSelected(a.select, r, iif);
}

export async function routeCommand(nl: Rtnl, words: string[], opts: GlobalOptions, out: Output): Promise<void> {
  const verb = words[0] ?? 'show';
  const hit = VERBS.find(([full, , min]) => matches(verb, full, min) && (full !== 'chg' || verb === 'chg'));
  if (!hit) throw new UsageError(`route: unknown command "${verb}"\n${USAGE}`);
  const rest = words.slice(1);
  const action = hit[1];
  if (action === 'save' || action === 'restore' || action === 'showdump') {
    await routeDumpCommand(nl, action, rest, opts, out);
    return;
  }
  if (action === 'flush') {
    if (rest.length === 0) throw new UsageError('"ip route flush" requires arguments.', 1);
    const a = parseRouteShow(rest, opts.family);
    await nl.route.flush({ ...a.filter, where: await shownBy(nl, a) });
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
    if (opts.mpls) a.filter.family = 'mpls';
    const json = {
      ifname, showTable: a.showTable, devFiltered: a.devFiltered, protocolFiltered: a.protocolFiltered, scopeFiltered: a.scopeFiltered,
      stats: opts.stats, ...routeSelectorsHide(a.select),
    };
    // iproute2 also checks RTA_OIF itself, which leaves out multipath routes through the device.
    const shown = await shownBy(nl, a);
    // Printed as the dump is read: a table of any size in flat memory, and the first lines out before the dump ends.
    const rows = out.rows(opts.json === true);
    try {
      // A table that does not exist is the kernel's error, as ip reports it.
    for await (const r of nl.route.stream({ ...a.filter, missingTable: 'error' })) {
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
  await nl.route.change(action, opts.mpls ? parseMplsRoute(rest) : parseRouteChange(rest, opts.family));
}

/** `route save` (the binary stream to standard output), `route restore` and `route showdump` (from standard input), as ip. */
async function routeDumpCommand(nl: Rtnl, action: 'save' | 'restore' | 'showdump', rest: string[], opts: GlobalOptions, out: Output): Promise<void> {
  if (action === 'save') {
    if (process.stdout.isTTY) throw new UsageError('Not sending a binary stream to stdout', 1);
    const a = parseRouteShow(rest, opts.family);
    const data = await saveRoutes(nl.socket, (ref) => nl.ifindex(ref), { ...a.filter, where: await shownBy(nl, a) });
    await new Promise<void>((done, fail) => process.stdout.write(data, (err) => (err ? fail(err) : done())));
    return;
  }
  if (process.stdin.isTTY) throw new UsageError("Can't restore route dump from a terminal", 1);
  const data = readFileSync(0);
  if (action === 'restore') {
    await restoreRoutes(nl.socket, data);
    return;
  }
  const names = new Map((await nl.link.list()).map((l) => [l.index, l.name ?? `if${l.index}`]));
  const ifname = (i: number): string => names.get(i) ?? `if${i}`;
  for (const r of readRouteDump(data)) {
    const row = routeToIpJson(r, { ifname, showTable: true, stats: opts.stats });
    if (opts.json) out.json(row);
    else out.line(routeToText(row));
  }
}
