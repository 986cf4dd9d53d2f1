// `netlink-ts tcp_metrics { show | delete | flush }`, as `ip tcp_metrics`
// (iproute2 6.1, ip/tcp_metrics.c) prints and takes it.
import type { Rtnl } from '../../client.js';
import { type TcpMetrics, TcpMetricsApi, type TcpMetricsListFilter } from '../../tcp-metrics/client.js';
import { type GlobalOptions, UsageError, matches } from '../args.js';
import type { Output } from '../output.js';
import { OBJECTS } from '../help.js';

const USAGE = OBJECTS.find((o) => o.names[0] === 'tcp_metrics')!.usage;

export function tcpMetricsText(e: TcpMetrics): string {
  let s = e.dst;
  if (e.ageMs !== undefined) s += ` age ${(e.ageMs / 1000).toFixed(3)}sec`;
  if (e.twTsStamp !== undefined) s += ` tw_ts ${e.twTsval ?? 0}/${e.twTsStamp}sec ago`;
  if (e.ssthresh !== undefined) s += ` ssthresh ${e.ssthresh}`;
  if (e.cwnd !== undefined) s += ` cwnd ${e.cwnd}`;
  if (e.reordering !== undefined) s += ` reordering ${e.reordering}`;
  if (e.rttUs) s += ` rtt ${e.rttUs}us`;
  if (e.rttvarUs) s += ` rttvar ${e.rttvarUs}us`;
  if (e.fopenMss !== undefined) s += ` fo_mss ${e.fopenMss}`;
  if (e.fopenSynDrops !== undefined) s += ` fo_syn_drops ${e.fopenSynDrops}${e.fopenSynDropTs ? `/${Math.floor(e.fopenSynDropTs / 1000)}sec ago` : ''}`;
  if (e.fopenCookie) s += ` fo_cookie ${e.fopenCookie.toString('hex')}`;
  if (e.source !== undefined) s += ` source ${e.source}`;
  return s;
}

/** ip -j tcp_metrics show: times in seconds. */
export function tcpMetricsJson(e: TcpMetrics): Record<string, unknown> {
  const o: Record<string, unknown> = { dst: e.dst };
  if (e.ageMs !== undefined) o.age = e.ageMs / 1000;
  if (e.twTsStamp !== undefined) { o.tw_ts = e.twTsval ?? 0; o.tw_ts_stamp = e.twTsStamp; }
  if (e.ssthresh !== undefined) o.ssthresh = e.ssthresh;
  if (e.cwnd !== undefined) o.cwnd = e.cwnd;
  if (e.reordering !== undefined) o.reordering = e.reordering;
  if (e.rttUs) o.rtt = e.rttUs / 1e6;
  if (e.rttvarUs) o.rttvar = e.rttvarUs / 1e6;
  if (e.fopenMss !== undefined) o.fopen_miss = e.fopenMss;
  if (e.fopenSynDrops !== undefined) { o.fopen_syn_drops = e.fopenSynDrops; if (e.fopenSynDropTs) o.fopen_syn_drop_ts = e.fopenSynDropTs; }
  if (e.fopenCookie) o.fo_cookie = e.fopenCookie.toString('hex');
  if (e.source !== undefined) o.source = e.source;
  return o;
}

/** [ address ] PREFIX [ src PREFIX ], as ip reads them. */
function parseFilter(words: readonly string[], opts: GlobalOptions, verb: string): TcpMetricsListFilter & { all?: boolean } {
  const f: TcpMetricsListFilter & { all?: boolean } = {};
  if (opts.family) f.family = opts.family === 'inet' ? 4 : 6;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const value = (): string => {
      const v = words[++i];
      if (v === undefined) throw new UsageError(`Command line is not complete. Try option "help"`);
      return v;
    };
    if (w === 'src' || w === 'source') f.source = value();
    else if (w === 'all' && verb === 'flush') f.all = true;
    else if (w === 'address' || w === 'addr') f.dst = value();
    else if (f.dst === undefined) f.dst = w;
    else throw new UsageError(`tcp_metrics ${verb}: unexpected "${w}"\n${USAGE}`);
  }
  return f;
}

export async function tcpMetricsCommand(_nl: Rtnl, words: string[], opts: GlobalOptions, out: Output): Promise<void> {
  const [verb = 'show', ...rest] = words;
  using api = TcpMetricsApi.open(opts.netns !== undefined ? { netns: opts.netns } : {});
  if (matches(verb, 'show') || matches(verb, 'list')) {
    const f = parseFilter(rest, opts, 'show');
    const list = await api.list(f);
    if (opts.json) out.json(list.map(tcpMetricsJson));
    else for (const e of list) out.line(tcpMetricsText(e));
    return;
  }
  if (matches(verb, 'delete')) {
    const f = parseFilter(rest, opts, 'delete');
    if (f.dst === undefined) throw new UsageError('tcp_metrics delete: an address is needed');
    await api.delete(f.dst, f.source);
    return;
  }
  if (matches(verb, 'flush')) {
    const { all, ...f } = parseFilter(rest, opts, 'flush');
    await api.flush(all ? (f.family !== undefined ? { family: f.family } : {}) : f);
    return;
  }
  throw new UsageError(`Command "${verb}" is unknown, try "netlink-ts tcp_metrics help".`);
}
