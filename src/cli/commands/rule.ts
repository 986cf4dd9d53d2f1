// `netlink-ts rule show|add|del ...`, in ip rule's words (ip/iprule.c): the
// same arguments build the same request iproute2 builds, attributes in the
// order of the arguments.
import type { RuleSpec, RuleVerb } from '../../api/families/rule.js';
import type { Rtnl } from '../../client.js';
import { prefixSelector } from '../prefix-match.js';
import { type GlobalOptions, UsageError, matches } from '../args.js';
import { dsfieldNames, groupNames, idOf, ipProtocolNames, parseRealms, parseUnsigned, protocolNames, tableNames } from '../ip-json/iproute2-names.js';
import { type RuleView, ruleShown, ruleToIpJson, ruleToText } from '../ip-json/rule.js';
import type { Output } from '../output.js';

function next(words: string[], i: number, what: string): string {
  const w = words[i + 1];
  if (w === undefined) throw new UsageError(`"${what}" needs an argument`);
  return w;
}

/** A number where iproute2 takes one (get_u32 and friends: decimal, 0x hex, 0 octal, up to 2^32-1). */
function num(text: string, what: string): number {
  const n = parseUnsigned(text);
  if (n === undefined || n > 0xffffffff) throw new UsageError(`${what} value is invalid: "${text}"`);
  return n;
}

function range(text: string, what: string): { start: number; end: number } {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!m) throw new UsageError(`invalid ${what} range: "${text}"`);
  return { start: Number(m[1]), end: Number(m[2] ?? m[1]) };
}

/** rtnl_dsfield_a2n: a name from rt_dsfield, else hexadecimal (with or without 0x). */
function dsfield(text: string): number {
  const id = dsfieldNames.id(text);
  if (id !== undefined) return id;
  if (!/^(0x)?[0-9a-f]+$/i.test(text)) throw new UsageError(`TOS value is invalid: "${text}"`);
  return parseInt(text.replace(/^0x/i, ''), 16);
}

/** realms [FROM/]TO, by name or number. */
function realms(text: string): number {
  const flow = parseRealms(text);
  if (flow === undefined) throw new UsageError(`invalid realms: "${text}"`);
  return flow;
}

/**
 * fwmark MARK[/MASK], as ip reads it: the mask is everything after the first
 * '/', so "1/2/3" has the mask "2/3" and is refused, as ip refuses it, rather
 * than losing the "/3".
 */
function fwmark(text: string): { fwmark: number; fwmask?: number } {
  const slash = text.indexOf('/');
  if (slash < 0) return { fwmark: num(text, 'fwmark') };
  return { fwmark: num(text.slice(0, slash), 'fwmark'), fwmask: num(text.slice(slash + 1), 'fwmask') };
}

const ANY_PREFIX = new Set(['all', 'any', 'default']);

/** iprule_modify: the spec, keys in the order of the arguments (so attributes are too). */
export function parseRuleModify(verb: RuleVerb, words: string[], opts: Pick<GlobalOptions, 'family'>): RuleSpec {
  if (!words.length) throw new UsageError(`"rule ${verb === 'add' ? 'add' : 'del'}" requires arguments.`, 1);
  const spec: RuleSpec = { family: opts.family };
  let flags: 'invert'[] | undefined;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === 'not') {
      flags = ['invert'];
      spec.flags = flags;
    } else if (w === 'from' || w === 'to') {
      // get_prefix reads all/any/default as the zero-length prefix: the rule's default, so nothing is sent for it.
      const p = next(words, i++, w);
      if (!ANY_PREFIX.has(p)) spec[w] = p;
    } else if (matches(w, 'preference') || matches(w, 'order') || matches(w, 'priority')) {
      spec.priority = num(next(words, i++, w), 'preference');
    } else if (w === 'tos' || matches(w, 'dsfield')) {
      spec.tos = dsfield(next(words, i++, w));
    } else if (w === 'fwmark') {
      const m = fwmark(next(words, i++, w));
      spec.fwmark = m.fwmark;
      if (m.fwmask !== undefined) spec.fwmask = m.fwmask;
    } else if (matches(w, 'realms')) {
      spec.flow = realms(next(words, i++, w));
    } else if (matches(w, 'protocol')) {
      spec.protocol = idOf(protocolNames, next(words, i++, w)) as number;
    } else if (matches(w, 'tun_id')) {
      const t = next(words, i++, w);
      if (!/^(0x[0-9a-f]+|\d+)$/i.test(t)) throw new UsageError(`"tun_id" value is invalid: "${t}"`);
      spec.tunId = BigInt(t);
    } else if (matches(w, 'table') || w === 'lookup') {
      spec.table = idOf(tableNames, next(words, i++, w)) as number;
    } else if (matches(w, 'suppress_prefixlength') || w === 'sup_pl') {
      spec.suppressPrefixlength = num(next(words, i++, w), 'suppress_prefixlength');
    } else if (matches(w, 'suppress_ifgroup') || w === 'sup_group') {
      spec.suppressIfgroup = idOf(groupNames, next(words, i++, w)) as number;
    } else if (w === 'dev' || w === 'iif') {
      spec.iif = next(words, i++, w);
    } else if (w === 'oif') {
      spec.oif = next(words, i++, w);
    } else if (w === 'l3mdev') {
      spec.l3mdev = 1;
    } else if (w === 'uidrange') {
      spec.uidRange = range(next(words, i++, w), 'UID');
    } else if (w === 'ipproto') {
      const p = idOf(ipProtocolNames, next(words, i++, w));
      if (typeof p === 'string') throw new UsageError(`Invalid "ipproto" value: "${p}"`);
      spec.ipProto = p;
    } else if (w === 'sport' || w === 'dport') {
      spec[w === 'sport' ? 'sportRange' : 'dportRange'] = range(next(words, i++, w), 'port');
    } else {
      const t = w === 'type' ? next(words, i++, w) : w;
      if (matches(t, 'goto')) {
        spec.action = 'goto';
        spec.goto = num(next(words, i++, t), 'target');
      } else if (matches(t, 'nop')) {
        spec.action = 'nop';
      } else if (t === 'blackhole' || t === 'unreachable' || t === 'prohibit') {
        spec.action = t;
      } else {
        throw new UsageError(`rule: unknown argument or rule type "${t}"`);
      }
    }
  }
  return spec;
}

/** iprule_list_flush_or_save's selector. */
export function parseRuleShow(words: string[], opts: Pick<GlobalOptions, 'family'>): RuleView {
  const v: RuleView = {};
  const fam = opts.family ?? 'inet';
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (matches(w, 'preference') || matches(w, 'order') || matches(w, 'priority')) v.priority = num(next(words, i++, w), 'preference');
    else if (w === 'not') v.not = true;
    else if (w === 'tos' || w === 'dsfield') v.tos = dsfield(next(words, i++, w));
    else if (w === 'fwmark') {
      const m = fwmark(next(words, i++, w));
      v.fwmark = m.fwmark;
      if (m.fwmask !== undefined) v.fwmask = m.fwmask;
    } else if (w === 'dev' || w === 'iif') v.iif = next(words, i++, w);
    else if (w === 'oif') v.oif = next(words, i++, w);
    else if (w === 'l3mdev') v.l3mdev = true;
    else if (matches(w, 'lookup') || matches(w, 'table')) {
      const t = idOf(tableNames, next(words, i++, w));
      if (typeof t === 'string') throw new UsageError(`table id value is invalid: "${t}"`);
      v.table = t;
    } else if (matches(w, 'from') || matches(w, 'src')) v.from = prefixSelector(next(words, i++, w), 'from', fam);
    else {
      const t = matches(w, 'dst') || matches(w, 'to') ? next(words, i++, w) : w;
      v.to = prefixSelector(t, 'to', fam);
    }
  }
  return v;
}

export async function ruleCommand(nl: Rtnl, words: string[], opts: GlobalOptions, out: Output): Promise<void> {
  const verb = words[0] ?? 'show';
  const rest = words.slice(1);
  if (matches(verb, 'add')) {
    await nl.rule.add(parseRuleModify('add', rest, opts));
    return;
  }
  if (matches(verb, 'delete')) {
    await nl.rule.delete(parseRuleModify('delete', rest, opts));
    return;
  }
  if (matches(verb, 'flush')) {
    const view = parseRuleShow(rest, opts);
    await nl.rule.flush({ family: opts.family ?? 'inet', where: (r) => ruleShown(r, view) });
    return;
  }
  if (matches(verb, 'list') || matches(verb, 'lst') || matches(verb, 'show')) {
    const view = parseRuleShow(rest, opts);
    // Like ip: IPv4 unless -6 says otherwise.
    const rules = await nl.rule.list({ family: opts.family ?? 'inet' });
    const rows = rules.filter((r) => ruleShown(r, view)).map((r) => ruleToIpJson(r, { details: opts.details }));
    if (opts.json) out.json(rows);
    else for (const r of rows) out.line(ruleToText(r));
    return;
  }
  throw new UsageError(`rule: unknown verb "${verb}" (this version has: show, flush, add, del)`);
}
