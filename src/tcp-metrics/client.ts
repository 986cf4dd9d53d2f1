// TCP metrics (generic netlink family `tcp_metrics`, docs/genl.md): what the
// kernel remembers per destination (and source) from closed connections —
// RTT, variance, cwnd, ssthresh, reordering, TFO data — as `ip tcp_metrics`
// shows, deletes and flushes it.
import { Genl, type GenlOptions } from '../genl/client.js';
import type { GenlAttrs } from '../genl/types.js';
import type { YnlFamilies } from '../generated/ynl/index.js';
import { describe } from '../netlink/describe.js';
import { EncodeError } from '../netlink/errors.js';
import { isRecord } from '../netlink/narrow.js';
import { formatIPv4Number, formatIPv6, type IpFamily, parseIP, parsePrefix } from '../netlink/ip.js';
import type { RequestOptions } from '../socket/request-options.js';

type Attrs = GenlAttrs<YnlFamilies['tcp_metrics'], 'tcp-metrics'>;

/** One remembered destination. RTTs are the smoothed values in µs, as ip prints them. */
export interface TcpMetrics {
  dst: string;
  source?: string;
  family: IpFamily;
  /** Milliseconds since the entry was last updated. */
  ageMs?: number;
  rttUs?: number;
  rttvarUs?: number;
  ssthresh?: number;
  cwnd?: number;
  reordering?: number;
  /** Timestamp of the last TIME-WAIT segment and when it was seen (seconds). */
  twTsval?: number;
  twTsStamp?: number;
  fopenMss?: number;
  fopenSynDrops?: number;
  /** Milliseconds since the last TFO SYN drop. */
  fopenSynDropTs?: number;
  fopenCookie?: Buffer;
  /** The metrics as the kernel sent them (rtt and rttvar in its own scaled units), for what is not above. */
  vals: GenlAttrs<YnlFamilies['tcp_metrics'], 'metrics'>;
}

/** Which entries: a destination prefix, a source prefix, one family. */
export interface TcpMetricsListFilter { dst?: string; source?: string; family?: IpFamily }

const num = (v: number | bigint | undefined): number | undefined => (v === undefined ? undefined : Number(v));


/** The entry in the shape ip reads it (tcp_metrics.c: RTT_US wins over RTT, which is in ms). */
export function tcpMetricsOf(a: Attrs): TcpMetrics {
  const v = a.vals ?? {};
  const dst = a['addr-ipv4'] !== undefined ? formatIPv4Number(a['addr-ipv4']) : a['addr-ipv6'] ? formatIPv6(a['addr-ipv6']) : '';
  const source = a['saddr-ipv4'] !== undefined ? formatIPv4Number(a['saddr-ipv4']) : a['saddr-ipv6'] ? formatIPv6(a['saddr-ipv6']) : undefined;
  const rtt = v['rtt-us'] !== undefined ? v['rtt-us'] >>> 3 : v.rtt !== undefined ? Math.floor((v.rtt * 1000) / 8) : 0;
  const rttvar = v['rttvar-us'] !== undefined ? v['rttvar-us'] >>> 2 : v.rttvar !== undefined ? Math.floor((v.rttvar * 1000) / 4) : 0;
  const out: TcpMetrics = { dst, family: a['addr-ipv4'] !== undefined ? 4 : 6, vals: v };
  if (source !== undefined) out.source = source;
  if (a.age !== undefined) out.ageMs = Number(a.age);
  if (rtt) out.rttUs = rtt;
  if (rttvar) out.rttvarUs = rttvar;
  if (v.ssthresh !== undefined) out.ssthresh = v.ssthresh;
  if (v.cwnd !== undefined) out.cwnd = v.cwnd;
  if (v.reodering !== undefined) out.reordering = v.reodering;
  if (a['tw-ts-stamp'] !== undefined) { out.twTsStamp = a['tw-ts-stamp']; out.twTsval = a['tw-tsval'] ?? 0; }
  if (a['fopen-mss'] !== undefined) out.fopenMss = a['fopen-mss'];
  if (a['fopen-syn-drops'] !== undefined) {
    out.fopenSynDrops = a['fopen-syn-drops'];
    const ts = num(a['fopen-syn-drop-ts']);
    if (ts) out.fopenSynDropTs = ts;
  }
  if (a['fopen-cookie']) out.fopenCookie = a['fopen-cookie'];
  return out;
}

function inPrefix(addr: string, prefix: string | undefined, path: string): boolean {
  if (prefix === undefined) return true;
  const p = parsePrefix(prefix, path);
  let a: Buffer;
  try { a = parseIP(addr, path, p.family); } catch { return false; }
  for (let bit = 0; bit < p.length; bit++) {
    const m = 0x80 >> (bit & 7);
    if ((a[bit >> 3]! & m) !== (p.bytes[bit >> 3]! & m)) return false;
  }
  return true;
}

/** The request attributes naming one destination (and source): exact addresses. */
function keyAttrs(dst: string, source: string | undefined): Attrs {
  const d = parseIP(dst, 'dst');
  const out: Attrs = d.length === 4 ? { 'addr-ipv4': d.readUInt32BE(0) } : { 'addr-ipv6': d };
  if (source !== undefined) {
    const s = parseIP(source, 'source', d.length === 4 ? 4 : 6);
    if (s.length === 4) out['saddr-ipv4'] = s.readUInt32BE(0);
    else out['saddr-ipv6'] = s;
  }
  return out;
}

function checkFilter(f: unknown): TcpMetricsListFilter {
  if (f === undefined) return {};
  if (!isRecord(f) || Array.isArray(f)) throw new EncodeError('filter', `expected { dst?, source?, family? }, got ${describe(f)}`);
  const { family } = f;
  if (family !== undefined && family !== 4 && family !== 6) throw new EncodeError('filter.family', `expected 4 or 6, got ${describe(family)}`);
  // parsePrefix refuses anything but a prefix string: past it, the text is the caller's string.
  const dst = f.dst === undefined ? undefined : (parsePrefix(f.dst, 'filter.dst', family), String(f.dst));
  const source = f.source === undefined ? undefined : (parsePrefix(f.source, 'filter.source', family), String(f.source));
  return { ...(dst !== undefined ? { dst } : {}), ...(source !== undefined ? { source } : {}), ...(family !== undefined ? { family } : {}) };
}

/** TCP metrics the kernel caches per destination (`ip tcp_metrics`): list, get, delete, flush. */
export class TcpMetricsApi {
  private readonly owned: boolean;
  constructor(readonly genl: Genl, opts: { owned?: boolean } = {}) { this.owned = opts.owned ?? false; }
  /** Opens a client on a generic netlink socket of its own (in the namespace the options name, else this process's). */
  static open(opts: GenlOptions = {}): TcpMetricsApi { return new TcpMetricsApi(Genl.open(opts), { owned: true }); }
  /** Closes the socket (when this client opened it). */
  close(): void { if (this.owned) this.genl.close(); }
  /** Closes the client: `using c = TcpMetricsApi.open()`. */
  [Symbol.dispose](): void { this.close(); }

  /** Every entry (a dump), those matching the filter's prefixes and family. */
  async list(filter?: TcpMetricsListFilter, opts?: RequestOptions): Promise<TcpMetrics[]> {
    const f = checkFilter(filter);
    const msgs = await this.genl.dump('tcp_metrics', 'get', {}, opts);
    return msgs.map((m) => tcpMetricsOf(m.attrs)).filter((e) => (f.family === undefined || e.family === f.family)
      && inPrefix(e.dst, f.dst, 'filter.dst') && (f.source === undefined || (e.source !== undefined && inPrefix(e.source, f.source, 'filter.source'))));
  }

  /** The entry of one destination (and source); undefined when the kernel has none. */
  async get(dst: string, source?: string, opts?: RequestOptions): Promise<TcpMetrics | undefined> {
    const attrs = keyAttrs(dst, source);
    try {
      const [m] = await this.genl.do('tcp_metrics', 'get', attrs, opts);
      return m ? tcpMetricsOf(m.attrs) : undefined;
    } catch (err) {
      if (isRecord(err) && err.code === 'ESRCH') return undefined;
      throw err;
    }
  }

  /** Forgets one destination (and source). The kernel answers ESRCH when there is none. */
  async delete(dst: string, source?: string, opts?: RequestOptions): Promise<void> {
    await this.genl.do('tcp_metrics', 'del', keyAttrs(dst, source), opts);
  }

  /**
   * Forgets every entry (one request), or those the filter picks (each
   * deleted by its own request, as ip tcp_metrics flush PREFIX does).
   * Returns how many were deleted when filtered.
   */
  async flush(filter?: TcpMetricsListFilter, opts?: RequestOptions): Promise<number | undefined> {
    const f = checkFilter(filter);
    if (f.dst === undefined && f.source === undefined && f.family === undefined) {
      await this.genl.do('tcp_metrics', 'del', {}, opts);
      return undefined;
    }
    const picked = await this.list(f, opts);
    for (const e of picked) await this.delete(e.dst, e.source, opts);
    return picked.length;
  }
}
