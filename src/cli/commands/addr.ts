// `netlink-ts address show|add|change|replace|del|flush`, with iproute2's
// words (ip/ipaddress.c, ipaddr_modify); the message is built by the
// library from what the words say, attributes in the order of the words.
import type { Rtnl } from '../../client.js';
import type { AddressInput, AddressOp } from '../../rtnl/address-input.js';
import { addressFlags, ipv6OnlyAddressFlags, settableAddressFlags } from '../../rtnl/address.js';
import { parsePrefix } from '../../netlink/ip.js';
import { type GlobalOptions, UsageError, matches } from '../args.js';
import { addrShowJson, addrShowText } from '../ip-json/addr.js';
import { linkDetailsJson } from '../ip-json/link-details.js';
import { ADDR_SHOW_USAGE, type AddrShowArgs, addrShowFamily, addressSelected, linkSelected, parseAddrShow } from '../addr-show.js';
import { namedId, parseUnsigned, scopeNames } from '../ip-json/iproute2-names.js';
import type { Output } from '../output.js';
import { addrBrief, addrBriefJson, addrOneline } from '../brief.js';
import { briefPaint, colourLinkText, colourOn } from '../colour.js';

const FLAG_NAMES = new Set<string>([...addressFlags.decode(0xfff), 'temporary']);

/** ip's get_u32: decimal, 0x hex or 0 octal. */
export function parseU32(word: string | undefined, what: string): number {
  if (word === undefined) throw new UsageError(`"${what}" needs a value`);
  const n = parseUnsigned(word);
  if (n === undefined || n > 0xffffffff) throw new UsageError(`"${what}" value is invalid: ${word}`);
  return n;
}

function familyOfWord(word: string): 'inet' | 'inet6' | undefined {
  try { return parsePrefix(word, '').family === 4 ? 'inet' : 'inet6'; } catch { return undefined; }
}

/** The words of `ip address add|change|replace|del` as a library input, plus iproute2's warnings. */
export function parseAddrChange(words: readonly string[], family?: 'inet' | 'inet6'): { input: AddressInput; warnings: string[] } {
  const input: AddressInput = {};
  const warnings: string[] = [];
  const flags: string[] = [];
  let fam = family;
  const next = (i: number, what: string): string => {
    const v = words[i];
    if (v === undefined) throw new UsageError(`"${what}" needs an argument`);
    return v;
  };
  const seen = (w: string): void => { fam ??= familyOfWord(w); };
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === 'peer' || w === 'remote') { input.peer = next(++i, w); seen(input.peer); }
    else if (matches(w, 'broadcast') || w === 'brd') {
      input.broadcast = next(++i, 'broadcast');
      if (input.broadcast !== '+' && input.broadcast !== '-') seen(input.broadcast);
    } else if (w === 'anycast') { input.anycast = next(++i, w); seen(input.anycast); }
    else if (w === 'scope') {
      const s = next(++i, w);
      const n = namedId(scopeNames, s, 255);
      if (n === undefined) throw new UsageError(`invalid scope value: ${s}`);
      input.scope = n;
    } else if (w === 'dev') input.dev = next(++i, w);
    else if (w === 'label') input.label = next(++i, w);
    else if (matches(w, 'metric') || matches(w, 'priority') || matches(w, 'preference')) input.priority = parseU32(words[++i], 'metric');
    else if (matches(w, 'valid_lft')) input.validLft = lifetime(next(++i, w));
    else if (matches(w, 'preferred_lft')) input.preferredLft = lifetime(next(++i, w));
    else if (FLAG_NAMES.has(w)) {
      const bit = addressFlags.encode([w as never], w);
      if (!(bit & settableAddressFlags)) warnings.push(`Warning: ${w} option is not mutable from userspace`);
      else if (bit & ipv6OnlyAddressFlags && fam !== 'inet6') warnings.push(`Warning: ${w} option can be set only for IPv6 addresses`);
      else flags.push(w);
      if (flags.length && input.flags === undefined) input.flags = flags as AddressInput['flags'];
    } else {
      const a = w === 'local' ? next(++i, w) : w;
      if (matches(a, 'help')) throw new UsageError(USAGE);
      if (input.address !== undefined) throw new UsageError(`duplicate "local": "${a}" is the second`);
      input.address = a;
      seen(a);
    }
  }
  if (input.dev === undefined) throw new UsageError('Not enough information: "dev" argument is required.');
  if (family) input.family = family;
  return { input, warnings };
}

function lifetime(word: string): number | 'forever' {
  return word === 'forever' ? 'forever' : parseU32(word, 'lifetime');
}

const USAGE = `usage: address {add|change|replace|del} IFADDR dev IFNAME [LIFETIME] [CONFFLAG-LIST]\n${ADDR_SHOW_USAGE}`;

export { parseAddrShow } from '../addr-show.js';

const VERBS: [string, AddressOp | 'show' | 'flush', number][] = [
  ['add', 'add', 1], ['change', 'change', 1], ['chg', 'change', 3], ['replace', 'replace', 1], ['delete', 'del', 1],
  ['list', 'show', 1], ['show', 'show', 1], ['lst', 'show', 1], ['flush', 'flush', 1],
];

export async function addrCommand(nl: Rtnl, words: string[], opts: GlobalOptions, out: Output): Promise<void> {
  const verb = words[0] ?? 'show';
  const hit = VERBS.find(([full, , min]) => matches(verb, full, min) && (full !== 'chg' || verb === 'chg'));
  if (!hit) throw new UsageError(`address: unknown command "${verb}"\n${USAGE}`);
  const action = hit[1];
  const rest = words.slice(1);
  if (action === 'show') {
    await show(nl, parseAddrShow(rest, opts.family), opts, out);
    return;
  }
  if (action === 'flush') {
    const a = parseAddrShow(rest, opts.family);
    if (a.dev === undefined) throw new UsageError('Flush requires arguments.', 1);
    await nl.addr.flush(a.dev, { family: opts.family });
    return;
  }
  const { input, warnings } = parseAddrChange(rest, opts.family);
  for (const w of warnings) process.stderr.write(`${w}\n`);
  await nl.addr.change(action, input);
}

/** `ip address show` with its selectors (src/cli/addr-show.ts): the links ip would list, each with its selected addresses. */
async function show(nl: Rtnl, a: AddrShowArgs, opts: GlobalOptions, out: Output): Promise<void> {
  const family = addrShowFamily(a, opts.family);
  const all = await nl.link.list();
  // master and type go to the kernel in the link dump, as ip sends them.
  const byKernel = typeof a.master === 'string' || a.kind !== undefined;
  // nomaster too (IFLA_MASTER -1): the links it leaves out are not printed at all.
  const listed = a.dev !== undefined ? [await nl.link.get(a.dev)]
    : byKernel ? await nl.link.list({ master: a.master ?? undefined, kind: a.kind }) : all;
  const shown = a.master === null && a.dev === undefined ? listed.filter((l) => l.master === undefined) : listed;
  const addrs = await nl.addr.list({ family, dev: a.dev === undefined ? undefined : shown[0]!.index });
  const byIndex = new Map(all.map((l) => [l.index, l]));
  const linkName = (i: number): string => byIndex.get(i)?.name ?? `if${i}`;
  const rows = addrShowJson(shown, addrs, {
    stats: opts.stats, scope: a.scope, family, dumpFamily: opts.family, linkOf: (i) => byIndex.get(i),
    details: opts.details ? (l) => linkDetailsJson(l, linkName) : undefined,
    address: (x, l) => addressSelected(a, x, l.name ?? `if${l.index}`),
    link: (l) => linkSelected(a, l),
    addressesOnly: a.label !== undefined,
    oneline: opts.json && opts.oneline,
  });
  if (opts.json) { out.json(opts.brief ? rows.map(addrBriefJson) : rows); return; }
  const colour = colourOn(opts);
  const paint = (t: string): string => (colour ? colourLinkText(t) : t);
  const printed = rows.filter((r) => r.addr_info !== undefined);
  if (opts.brief) for (const r of printed) out.line(addrBrief(r, briefPaint(colour)));
  else if (opts.oneline) for (const r of printed) for (const l of addrOneline(r, paint)) out.line(l);
  else {
    for (const r of printed) {
      const text = addrShowText(r);
      if (text !== '') out.line(paint(text)); // `label`: a link without a matching address prints nothing
    }
  }
}
