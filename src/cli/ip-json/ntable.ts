// A neighbour table entry in the shape `ip -j ntable show` prints, and its
// text (ip/ipntable.c, print_ntable of iproute2 6.1): same keys, same order,
// the same lines. Config and statistics only with -s, as ip.
import type { Ntable } from '../../rtnl/ntable.js';
import type { Json } from './link.js';
import { familyName } from './route.js';

type Obj = Record<string, Json | undefined>;

export interface NtableJsonOptions {
  ifname: (index: number) => string;
  /** -s: the table's config and statistics. */
  stats?: boolean;
  /** Seconds since the epoch now (ip prints last_flush/last_rand as local times "ago" from now). */
  now?: number;
}

const n = (v: number | bigint | undefined): number => Number(v ?? 0);

/** ntable_strtime_delta: now minus msec, as local "%Y-%m-%d %T"; "(error)" for 0. */
function strtimeDelta(msec: number, nowSec: number): string {
  if (msec === 0) return '(error)';
  const d = new Date((nowSec - Math.floor(msec / 1000)) * 1000);
  const p = (x: number): string => String(x).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** Which line each key of the JSON object starts (text layout): the keys in one group share a line. */
const PARM_LINES = [['refcnt', 'reachable', 'base_reachable', 'retrans'], ['gc_stale', 'delay_probe', 'queue'], ['app_probes', 'ucast_probes', 'mcast_probes'], ['anycast_delay', 'proxy_delay', 'proxy_queue', 'locktime']];
const STAT_LINES = [['allocs', 'destroys', 'hash_grows'], ['res_failed', 'lookups', 'hits'], ['rcv_probes_mcast', 'rcv_probes_ucast'], ['periodic_gc_runs', 'forced_gc_runs'], ['table_fulls']];
const PARM_TEXT: Record<string, string> = {};
const THRESH_TEXT: Record<string, string> = { thresh1: 'thresh1', thresh2: 'thresh2', thresh3: 'thresh3', gc_interval: 'gc_int' };

export function ntableToIpJson(t: Ntable, o: NtableJsonOptions): Obj {
  const j: Obj = {};
  j.family = familyName(t.family);
  if (t.name !== undefined) j.name = t.name;
  if (t.thresh1 !== undefined) j.thresh1 = t.thresh1;
  if (t.thresh2 !== undefined) j.thresh2 = t.thresh2;
  if (t.thresh3 !== undefined) j.thresh3 = t.thresh3;
  if (t.gcInterval !== undefined) j.gc_interval = n(t.gcInterval);
  if (t.config && o.stats) {
    const c = t.config;
    const now = o.now ?? Math.floor(Date.now() / 1000);
    j.key_length = c.ndtc_key_len;
    j.entry_size = c.ndtc_entry_size;
    j.entries = c.ndtc_entries;
    j.last_flush = strtimeDelta(c.ndtc_last_flush, now);
    j.last_rand = strtimeDelta(c.ndtc_last_rand, now);
    j.hash_rnd = c.ndtc_hash_rnd;
    j.hash_mask = c.ndtc_hash_mask ? `0x${c.ndtc_hash_mask.toString(16)}` : '0';
    j.hash_chain_gc = c.ndtc_hash_chain_gc;
    j.proxy_qlen = c.ndtc_proxy_qlen;
  }
  const p = t.parms;
  if (p) {
    if (p.ifindex !== undefined) j.dev = o.ifname(p.ifindex);
    if (p.refcnt !== undefined) j.refcnt = p.refcnt;
    if (p.reachableTime !== undefined) j.reachable = n(p.reachableTime);
    if (p.baseReachableTime !== undefined) j.base_reachable = n(p.baseReachableTime);
    if (p.retransTime !== undefined) j.retrans = n(p.retransTime);
    if (p.gcStaletime !== undefined) j.gc_stale = n(p.gcStaletime);
    if (p.delayProbeTime !== undefined) j.delay_probe = n(p.delayProbeTime);
    if (p.queueLen !== undefined) j.queue = p.queueLen;
    if (p.appProbes !== undefined) j.app_probes = p.appProbes;
    if (p.ucastProbes !== undefined) j.ucast_probes = p.ucastProbes;
    if (p.mcastProbes !== undefined) j.mcast_probes = p.mcastProbes;
    if (p.anycastDelay !== undefined) j.anycast_delay = n(p.anycastDelay);
    if (p.proxyDelay !== undefined) j.proxy_delay = n(p.proxyDelay);
    if (p.proxyQlen !== undefined) j.proxy_queue = p.proxyQlen;
    if (p.locktime !== undefined) j.locktime = n(p.locktime);
  }
  if (t.stats && o.stats) {
    const s = t.stats;
    j.allocs = n(s.ndts_allocs);
    j.destroys = n(s.ndts_destroys);
    j.hash_grows = n(s.ndts_hash_grows);
    j.res_failed = n(s.ndts_res_failed);
    j.lookups = n(s.ndts_lookups);
    j.hits = n(s.ndts_hits);
    j.rcv_probes_mcast = n(s.ndts_rcv_probes_mcast);
    j.rcv_probes_ucast = n(s.ndts_rcv_probes_ucast);
    j.periodic_gc_runs = n(s.ndts_periodic_gc_runs);
    j.forced_gc_runs = n(s.ndts_forced_gc_runs);
    j.table_fulls = n(s.ndts_table_fulls);
  }
  return j;
}

const words = (j: Obj, keys: readonly string[], names: Record<string, string> = PARM_TEXT): string => keys.filter((k) => j[k] !== undefined).map((k) => `${names[k] ?? k} ${j[k]} `).join('');

/** The text of one entry, its lines joined, without the blank line's last newline (the caller's line adds it). */
export function ntableToText(j: Obj, t: Ntable, stats: boolean): string {
  let s = `${j.family} ${j.name !== undefined ? `${j.name} ` : ''}\n`;
  const thresh = words(j, ['thresh1', 'thresh2', 'thresh3', 'gc_interval'], THRESH_TEXT);
  if (thresh) s += `    ${thresh}\n`;
  if (t.config && stats) {
    s += `    config key_len ${j.key_length} entry_size ${j.entry_size} entries ${j.entries} \n`;
    s += `        last_flush ${j.last_flush} last_rand ${j.last_rand} \n`;
    s += `        hash_rnd ${j.hash_rnd} hash_mask ${(t.config.ndtc_hash_mask >>> 0).toString(16).padStart(8, '0')} hash_chain_gc ${j.hash_chain_gc} proxy_qlen ${j.proxy_qlen} \n`;
  }
  if (t.parms) {
    if (j.dev !== undefined) s += `    dev ${j.dev} \n`;
    s += `    ${PARM_LINES.map((keys) => words(j, keys)).join('\n    ')}\n`;
  }
  if (t.stats && stats) s += `    stats ${STAT_LINES.map((keys) => words(j, keys)).join('\n    ')}\n`;
  return s;
}
