// Statistics in the shape tc prints them (print_tcstats2_attr): bytes,
// packets, drops, overlimits, requeues, then the rate estimate, backlog, qlen.
import type { TcStats } from './stats.js';
import type { TcJsonObject } from './json.js';

export function putStats(o: TcJsonObject, s: TcStats): void {
  o.put('bytes', s.bytes).put('packets', s.packets);
  if (s.qlen !== undefined) o.put('drops', s.drops).put('overlimits', s.overlimits).put('requeues', s.requeues);
  if (s.hw && s.bytes !== undefined && s.packets !== undefined && s.bytes >= s.hw.bytes && s.packets >= s.hw.packets) {
    o.put('sw_bytes', s.bytes - s.hw.bytes).put('sw_packets', s.packets - s.hw.packets);
  }
  if (s.hw) o.put('hw_bytes', s.hw.bytes).put('hw_packets', s.hw.packets);
  if (s.rate) o.put('rate', s.rate.bps).put('pps', s.rate.pps);
  if (s.qlen !== undefined) o.put('backlog', s.backlog).put('qlen', s.qlen);
}

/** The text tc prints under an object with -s. */
export function statsText(s: TcStats, prefix = ' '): string {
  let t = `${prefix}Sent ${s.bytes ?? 0} bytes ${s.packets ?? 0} pkt`;
  // Only TCA_STATS2 counts requeues; from the legacy struct alone (a kernel that sent no TCA_STATS2) they are not printed.
  const requeues = s.requeues === undefined ? '' : ` requeues ${s.requeues}`;
  if (s.qlen !== undefined) t += ` (dropped ${s.drops}, overlimits ${s.overlimits}${requeues}) `;
  if (s.rate) t += `\n${prefix}rate ${s.rate.bps * 8}bit ${s.rate.pps}pps`;
  if (s.qlen !== undefined) t += `${s.rate ? ' ' : `\n${prefix}`}backlog ${s.backlog}b ${s.qlen}p${requeues}`;
  return t;
}
