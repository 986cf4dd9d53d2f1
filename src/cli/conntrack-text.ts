// The text conntrack-tools 1.4.7 prints (`conntrack -L`, `-E`, `-S`), from
// decoded entries: the same fields in the same order, so the two can be
// compared line by line. Labels, timestamps and ids are left out, as
// conntrack -L leaves them out without `-o` options.
import * as K from '../generated/linux/netfilter/nf_conntrack_common.js';
import type { Conntrack, ConntrackTuple } from '../nfnetlink/conntrack/entry.js';
import type { ConntrackCpuStats } from '../nfnetlink/conntrack/stats.js';

function tuple(t: ConntrackTuple): string {
  let s = `src=${t.src} dst=${t.dst} `;
  if (t.sport !== undefined || t.dport !== undefined) s += `sport=${t.sport ?? 0} dport=${t.dport ?? 0} `;
  if (t.icmp) s += `type=${t.icmp.type ?? 0} code=${t.icmp.code ?? 0} id=${t.icmp.id ?? 0} `;
  return s;
}

const counters = (c: { packets: number; bytes: number } | undefined): string => (c ? `packets=${c.packets} bytes=${c.bytes} ` : '');

/** One entry as `conntrack -L` prints it (`-o extended`: with the address family first). */
export function conntrackLine(ct: Conntrack, opts: { extended?: boolean } = {}): string {
  let s = '';
  if (opts.extended) {
    const fam = ct.family === 'ipv4' ? 2 : ct.family === 'ipv6' ? 10 : Number(ct.family);
    s += `${String(ct.family).padEnd(8)} ${fam} `;
  }
  s += `${ct.protocolName.padEnd(8)} ${ct.protocol} `;
  if (ct.timeout !== undefined) s += `${ct.timeout} `;
  if (ct.tcp) s += `${ct.tcp.state} `;
  s += tuple(ct.orig) + counters(ct.counters?.orig);
  if (!(ct.status & K.IPS_SEEN_REPLY)) s += '[UNREPLIED] ';
  s += tuple(ct.reply) + counters(ct.counters?.reply);
  if (ct.status & K.IPS_ASSURED) s += '[ASSURED] ';
  if (ct.status & K.IPS_OFFLOAD) s += '[OFFLOAD] ';
  if (ct.status & K.IPS_HW_OFFLOAD) s += '[HW_OFFLOAD] ';
  if (ct.mark !== undefined) s += `mark=${ct.mark} `;
  if (ct.secmark) s += `secmark=${ct.secmark} `;
  if (ct.secctx !== undefined) s += `secctx=${ct.secctx} `;
  if (ct.zone !== undefined) s += `zone=${ct.zone} `;
  if (ct.helper !== undefined) s += `helper=${ct.helper} `;
  if (ct.use !== undefined) s += `use=${ct.use} `;
  return s.trimEnd();
}

const EVENT_WORD = { new: '[NEW]', update: '[UPDATE]', del: '[DESTROY]' } as const;

/** One event as `conntrack -E` prints it. */
export function conntrackEventLine(action: 'new' | 'update' | 'del', ct: Conntrack): string {
  return `${EVENT_WORD[action].padStart(9)} ${conntrackLine(ct)}`;
}

// The fields `conntrack -S` prints, in its order, with its names.
const STAT_WORDS: [keyof ConntrackCpuStats, string][] = [
  ['searched', 'searched'], ['found', 'found'], ['new', 'new'], ['invalid', 'invalid'], ['ignore', 'ignore'],
  ['delete', 'delete'], ['deleteList', 'delete_list'], ['insert', 'insert'], ['insertFailed', 'insert_failed'],
  ['drop', 'drop'], ['earlyDrop', 'early_drop'], ['error', 'error'], ['searchRestart', 'search_restart'],
  ['clashResolve', 'clash_resolve'], ['chainTooLong', 'chaintoolong'],
];

/** One CPU's line of `conntrack -S`. */
export function cpuStatsLine(s: ConntrackCpuStats): string {
  let line = `cpu=${String(s.cpu).padEnd(4)}\t`;
  for (const [k, word] of STAT_WORDS) if (s[k] !== undefined) line += `${word}=${s[k]} `;
  return line;
}
