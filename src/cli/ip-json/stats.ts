// `ip stats show ... group link` as iproute2 6.1 prints it (ip/ipstats.c and
// print_stats64 of ip/ipaddress.c, without -s): JSON and the column text.
import type { LinkStats } from '../../rtnl/stats.js';
import type { Json } from './link.js';

type Obj = Record<string, Json | undefined>;
type S64 = NonNullable<LinkStats['link64']>;

const n = (v: number | bigint): number => Number(v);

export function statsLinkToIpJson(s: LinkStats, ifname: (i: number) => string): Obj {
  const o: Obj = { ifindex: s.ifindex, ifname: ifname(s.ifindex), group: 'link' };
  const l = s.link64;
  if (!l) return o;
  const rx: Obj = { bytes: n(l.rx_bytes), packets: n(l.rx_packets), errors: n(l.rx_errors), dropped: n(l.rx_dropped), over_errors: n(l.rx_over_errors), multicast: n(l.multicast) };
  if (n(l.rx_compressed)) rx.compressed = n(l.rx_compressed);
  const tx: Obj = { bytes: n(l.tx_bytes), packets: n(l.tx_packets), errors: n(l.tx_errors), dropped: n(l.tx_dropped), carrier_errors: n(l.tx_carrier_errors), collisions: n(l.collisions) };
  if (n(l.tx_compressed)) tx.compressed = n(l.tx_compressed);
  o.stats64 = { rx, tx };
  return o;
}

/** size_columns: each column as wide as its longest number, at least its heading. */
function widths(l: S64): number[] {
  const cols = [10, 7, 6, 7, 7, 7, 10, 9];
  const fit = (vals: (number | bigint)[]): void => vals.forEach((v, i) => { cols[i] = Math.max(cols[i]!, String(v).length); });
  fit([l.rx_bytes, l.rx_packets, l.rx_errors, l.rx_dropped, l.rx_missed_errors, l.multicast, l.rx_compressed, 0]);
  fit([l.tx_bytes, l.tx_packets, l.tx_errors, l.tx_dropped, l.tx_carrier_errors, l.collisions, l.tx_compressed, 0]);
  return cols;
}

const pad = (s: string | number | bigint, w: number): string => String(s).padStart(w);

/** The lines of one device's link group: "1: lo: group link", then print_stats64's four lines. */
export function statsLinkToText(s: LinkStats, ifname: (i: number) => string): string {
  let t = `${s.ifindex}: ${ifname(s.ifindex)}: group link\n`;
  const l = s.link64;
  if (!l) return t;
  const c = widths(l);
  const row = (vals: (number | bigint)[], extra: number | bigint): string => `    ${vals.map((v, i) => `${pad(v, c[i]!)} `).join('')}${n(extra) ? `${pad(extra, c[6]!)} ` : ''}`;
  t += `    RX: ${pad('bytes', c[0]! - 4)} ${pad('packets', c[1]!)} ${pad('errors', c[2]!)} ${pad('dropped', c[3]!)} ${pad('missed', c[4]!)} ${pad('mcast', c[5]!)} ${pad(n(l.rx_compressed) ? 'compressed' : '', c[6]!)}\n`;
  t += `${row([l.rx_bytes, l.rx_packets, l.rx_errors, l.rx_dropped, l.rx_missed_errors, l.multicast], l.rx_compressed)}\n`;
  t += `    TX: ${pad('bytes', c[0]! - 4)} ${pad('packets', c[1]!)} ${pad('errors', c[2]!)} ${pad('dropped', c[3]!)} ${pad('carrier', c[4]!)} ${pad('collsns', c[5]!)} ${pad(n(l.tx_compressed) ? 'compressed' : '', c[6]!)}\n`;
  t += row([l.tx_bytes, l.tx_packets, l.tx_errors, l.tx_dropped, l.tx_carrier_errors, l.collisions], l.tx_compressed);
  return t;
}
