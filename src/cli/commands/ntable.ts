// `netlink-ts ntable show|change`, in ip ntable's words (ip/ipntable.c of
// iproute2 6.1).
import type { NtableChangeInput, NtableListFilter, NtableParmsInput } from '../../api/ntables.js';
import type { Rtnl } from '../../client.js';
import type { Link } from '../../rtnl/link.js';
import { type GlobalOptions, UsageError, matches } from '../args.js';
import { parseUnsigned } from '../ip-json/iproute2-names.js';
import { ntableToIpJson, ntableToText } from '../ip-json/ntable.js';
import type { Output } from '../output.js';

/** ip's words for the parameters, and whether each is 64 bits (get_u64) or 32 (get_u32). */
const PARM_WORDS: Record<string, [keyof NtableParmsInput, 32 | 64]> = {
  base_reachable: ['baseReachableTime', 64], retrans: ['retransTime', 64], gc_stale: ['gcStaletime', 64],
  delay_probe: ['delayProbeTime', 64], queue: ['queueLen', 32], app_probes: ['appProbes', 32],
  ucast_probes: ['ucastProbes', 32], mcast_probes: ['mcastProbes', 32], anycast_delay: ['anycastDelay', 64],
  proxy_delay: ['proxyDelay', 64], proxy_queue: ['proxyQlen', 32], locktime: ['locktime', 64],
};

function value(word: string, text: string | undefined, bits: 32 | 64): number | bigint {
  if (text === undefined) throw new UsageError('Command line is not complete. Try option "help"');
  if (bits === 64 && /^(0x[0-9a-f]+|\d+)$/i.test(text)) {
    const b = BigInt(text);
    if (b <= 0xffffffffffffffffn) return b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
  }
  const v = parseUnsigned(text);
  if (v === undefined || v > 0xffffffff) throw new UsageError(`Error: "${word}" value is invalid: "${text}"`);
  return v;
}

/** ipntable_modify: the change, in the order of the words (the device's index where `dev` stands among the parameters). */
export async function parseNtableChange(nl: Rtnl, words: string[], opts: Pick<GlobalOptions, 'family'>): Promise<NtableChangeInput<number>> {
  const input: NtableChangeInput<number> = { name: '', family: opts.family };
  const parms: Record<string, unknown> = {};
  let named = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const next = words[i + 1];
    if (w === 'name') {
      if (named) throw new UsageError(`Error: duplicate "NAME": "${next}" is the second value.`);
      if (next === undefined) throw new UsageError('Command line is not complete. Try option "help"');
      input.name = next;
      named = true;
    } else if (w === 'thresh1' || w === 'thresh2' || w === 'thresh3') input[w] = value(w, next, 32) as number;
    else if (w === 'gc_int') input.gcInterval = value(w, next, 64);
    else if (w === 'dev') {
      if (next === undefined) throw new UsageError('Command line is not complete. Try option "help"');
      parms.ifindex = await nl.ifindex(next);
    } else if (Object.hasOwn(PARM_WORDS, w)) {
      const [key, bits] = PARM_WORDS[w]!;
      parms[key] = value(w, next, bits);
    } else throw new UsageError(`Error: argument "${w}" is wrong: unknown`);
    i++;
  }
  if (!named) throw new UsageError('Error: "NAME" is required.');
  if (Object.keys(parms).length) input.parms = parms as NtableParmsInput;
  return input;
}

export function parseNtableShow(words: string[], opts: Pick<GlobalOptions, 'family'>): NtableListFilter {
  const filter: NtableListFilter = { family: opts.family };
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const next = words[++i];
    if (next === undefined) throw new UsageError('Command line is not complete. Try option "help"');
    if (w === 'dev') filter.dev = next;
    else if (w === 'name') filter.name = next;
    else throw new UsageError(`Error: argument "${w}" is wrong: unknown`);
  }
  return filter;
}

export async function ntableCommand(nl: Rtnl, words: string[], opts: GlobalOptions, out: Output): Promise<void> {
  const verb = words[0] ?? 'show';
  const rest = words.slice(1);
  if (matches(verb, 'change') || matches(verb, 'chg')) {
    await nl.ntable.change(await parseNtableChange(nl, rest, opts));
    return;
  }
  if (matches(verb, 'show') || matches(verb, 'lst') || matches(verb, 'list')) {
    const links = new Map<number, Link>((await nl.link.list()).map((l) => [l.index, l]));
    const ifname = (i: number): string => links.get(i)?.name ?? `if${i}`;
    const filter = parseNtableShow(rest, opts);
    if (typeof filter.dev === 'string' && filter.dev !== 'none' && ![...links.values()].some((l) => l.name === filter.dev)) {
      throw new UsageError(`Error: "DEV" is invalid: "${filter.dev}"`);
    }
    const tables = await nl.ntable.list(filter);
    if (opts.json) out.json(tables.map((t) => ntableToIpJson(t, { ifname, stats: opts.stats })));
    else for (const t of tables) out.line(ntableToText(ntableToIpJson(t, { ifname, stats: opts.stats }), t, opts.stats));
    return;
  }
  if (matches(verb, 'help')) throw new UsageError('Usage: netlink-ts ntable change name NAME [ dev DEV ] [ thresh1 VAL ] [ thresh2 VAL ] [ thresh3 VAL ] [ gc_int MSEC ] [ PARMS ]\n       netlink-ts ntable show [ dev DEV ] [ name NAME ]');
  throw new UsageError(`Command "${verb}" is unknown, try "ip ntable help".`);
}
