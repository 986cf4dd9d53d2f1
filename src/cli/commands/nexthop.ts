// `netlink-ts nexthop ...`, in ip nexthop's words (ip/ipnexthop.c of
// iproute2 6.1): show/list, get, add, replace, del, flush and `bucket
// show|get`. The same words build the same request ip builds, attributes in
// the order of the words (docs/nexthops.md).
import type { NexthopBucketFilter, NexthopListFilter, NexthopObjectInput } from '../../api/nexthops.js';
import type { Rtnl } from '../../client.js';
import type { Link } from '../../rtnl/link.js';
import { type GlobalOptions, UsageError, matches } from '../args.js';
import { idOf, parseUnsigned, protocolNames } from '../ip-json/iproute2-names.js';
import { bucketToIpJson, bucketToText, nexthopToIpJson, nexthopToText } from '../ip-json/nexthop.js';
import type { Output } from '../output.js';

function next(words: string[], i: number, what: string): string {
  const w = words[i + 1];
  if (w === undefined) throw new UsageError(`Command line is not complete. Try option "help"`);
  void what;
  return w;
}

/** get_unsigned: decimal, 0x hex or 0 octal, up to 2^32-1. */
function unsigned(text: string, what: string, max = 0xffffffff): number {
  const n = parseUnsigned(text);
  if (n === undefined || n > max) throw new UsageError(`Error: ${what}: "${text}"`);
  return n;
}

const id = (text: string): number => unsigned(text, 'invalid id value');

/** "1/2,5/3": members by id, with ",WEIGHT" (1..256) after an id. */
function group(text: string): { id: number; weight?: number }[] {
  return text.split('/').map((part) => {
    const [idText, weightText, extra] = part.split(',');
    if (extra !== undefined || idText === undefined) throw new UsageError(`Error: "group" value is invalid: "${text}"`);
    const member: { id: number; weight?: number } = { id: unsigned(idText, '"group" value is invalid') };
    if (weightText !== undefined) {
      const w = parseUnsigned(weightText);
      if (w === undefined || w === 0 || w > 256) throw new UsageError(`Error: "weight" is invalid: "${weightText}"`);
      member.weight = w;
    }
    return member;
  });
}

/** ipnh_modify: the input, keys in the order of the words (so the attributes are too). */
export function parseNexthopModify(words: string[], opts: Pick<GlobalOptions, 'family'>): NexthopObjectInput {
  const nh: NexthopObjectInput = { family: opts.family };
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === 'id') nh.id = id(next(words, i++, w));
    else if (w === 'dev') nh.dev = next(words, i++, w);
    else if (w === 'via') {
      let a = next(words, i++, w);
      if (a === 'inet' || a === 'inet6') {
        nh.family ??= a;
        a = next(words, i++, w);
      }
      nh.via = a;
    } else if (w === 'blackhole') nh.blackhole = true;
    else if (w === 'fdb') nh.fdb = true;
    else if (w === 'onlink') nh.onlink = true;
    else if (w === 'group') nh.group = group(next(words, i++, w));
    else if (w === 'type') {
      const t = next(words, i++, w);
      if (t !== 'mpath' && t !== 'resilient') throw new UsageError(`Error: "type" value is invalid: "${t}"`);
      nh.type = t;
      if (t === 'resilient') {
        const res: NonNullable<NexthopObjectInput['resilient']> = {};
        for (;;) {
          const k = words[i + 1];
          if (k === 'buckets') res.buckets = unsigned(next(words, ++i, k), 'invalid buckets value', 0xffff);
          else if (k === 'idle_timer') res.idleTimer = unsigned(next(words, ++i, k), 'invalid idle timer value', Math.floor(0xffffffff / 100) - 1);
          else if (k === 'unbalanced_timer') res.unbalancedTimer = unsigned(next(words, ++i, k), 'invalid unbalanced timer value', Math.floor(0xffffffff / 100) - 1);
          else break;
          i++;
        }
        // ip sends the nest only when a word follows "resilient".
        if (i + 1 < words.length || Object.keys(res).length) nh.resilient = res;
      }
    } else if (matches(w, 'protocol')) {
      const p = idOf(protocolNames, next(words, i++, w));
      if (typeof p === 'string' || p > 255) throw new UsageError(`Error: "protocol" value is invalid: "${p}"`);
      nh.protocol = p;
    } else if (w === 'encap') {
      throw new UsageError('nexthop: "encap" is not supported by this version');
    } else {
      throw new UsageError(`Error: argument "${w}" is wrong: `);
    }
  }
  return nh;
}

export interface NexthopShowWords {
  filter: NexthopListFilter;
  /** `id N`: that one nexthop (a get, or one delete for flush). */
  id?: number;
}

/** ipnh_list_flush's selector. */
export function parseNexthopShow(words: string[], opts: Pick<GlobalOptions, 'family'>): NexthopShowWords {
  const filter: NexthopListFilter = { family: opts.family };
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (matches(w, 'dev')) filter.dev = next(words, i++, w);
    else if (matches(w, 'groups')) filter.groups = true;
    else if (matches(w, 'master') || matches(w, 'vrf')) filter.master = next(words, i++, w);
    else if (w === 'id') return { filter, id: id(next(words, i++, w)) };
    else if (matches(w, 'protocol')) filter.protocol = unsigned(next(words, i++, w), 'invalid protocol value');
    else if (matches(w, 'fdb')) filter.fdb = true;
    else throw new UsageError(`Error: argument "${w}" is wrong: `);
  }
  return { filter };
}

/** ipnh_bucket_list's selector. */
export function parseBucketShow(words: string[], opts: Pick<GlobalOptions, 'family'>): NexthopBucketFilter {
  const filter: NexthopBucketFilter = { family: opts.family };
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (matches(w, 'dev')) filter.dev = next(words, i++, w);
    else if (matches(w, 'master') || matches(w, 'vrf')) filter.master = next(words, i++, w);
    else if (w === 'id') filter.id = id(next(words, i++, w));
    else if (w === 'nhid') filter.nhid = id(next(words, i++, w));
    else throw new UsageError(`Error: argument "${w}" is wrong: `);
  }
  return filter;
}

/** ipnh_bucket_get's words: id ID index INDEX. */
export function parseBucketGet(words: string[]): { id: number; index: number } {
  let nhId: number | undefined;
  let index: number | undefined;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === 'id') nhId = id(next(words, i++, w));
    else if (w === 'index') index = unsigned(next(words, i++, w), 'invalid bucket index value', 0xffff);
    else throw new UsageError(USAGE);
  }
  if (!nhId || index === undefined) throw new UsageError(USAGE);
  return { id: nhId, index };
}

const USAGE = 'Usage: netlink-ts nexthop { list | flush } [ protocol ID ] SELECTOR\n'
  + '       netlink-ts nexthop { add | replace } id ID NH [ protocol ID ]\n'
  + '       netlink-ts nexthop { get | del } id ID\n'
  + '       netlink-ts nexthop bucket list BUCKET_SELECTOR\n'
  + '       netlink-ts nexthop bucket get id ID index INDEX';

async function ifnames(nl: Rtnl): Promise<(i: number) => string> {
  const links = new Map<number, Link>((await nl.link.list()).map((l) => [l.index, l]));
  return (i) => links.get(i)?.name ?? `if${i}`;
}

export async function nexthopCommand(nl: Rtnl, words: string[], opts: GlobalOptions, out: Output): Promise<void> {
  const verb = words[0] ?? 'show';
  const rest = words.slice(1);
  if (matches(verb, 'add') || matches(verb, 'replace')) {
    const input = parseNexthopModify(rest, opts);
    if (matches(verb, 'add')) await nl.nexthop.add(input);
    else await nl.nexthop.replace(input);
    return;
  }
  if (matches(verb, 'delete')) {
    const input = parseNexthopModify(rest, opts);
    if (input.id === undefined) throw new UsageError('nexthop del: "id ID" is required by this version');
    await nl.nexthop.delete(input.id);
    return;
  }
  if (matches(verb, 'list') || matches(verb, 'show') || matches(verb, 'lst') || matches(verb, 'get')) {
    let found;
    if (matches(verb, 'get')) {
      const w = parseNexthopShow(rest, opts);
      if (w.id === undefined || rest.length !== 2) throw new UsageError(USAGE);
      found = [await nl.nexthop.get(w.id)];
    } else {
      const w = parseNexthopShow(rest, opts);
      found = w.id !== undefined ? [await nl.nexthop.get(w.id)] : await nl.nexthop.list(w.filter);
    }
    const ifname = await ifnames(nl);
    const rows = found.map((nh) => nexthopToIpJson(nh, { ifname, details: opts.details }));
    if (opts.json) out.json(rows);
    else for (const r of rows) out.line(nexthopToText(r));
    return;
  }
  if (matches(verb, 'flush')) {
    const w = parseNexthopShow(rest, opts);
    const n = w.id !== undefined ? (await nl.nexthop.delete(w.id), undefined) : await nl.nexthop.flush(w.filter);
    if (n !== undefined) out.line(n ? `Flushed ${n} nexthops` : 'Nothing to flush');
    return;
  }
  if (matches(verb, 'bucket')) {
    const bverb = rest[0] ?? 'show';
    let buckets;
    if (matches(bverb, 'list') || matches(bverb, 'show') || matches(bverb, 'lst')) buckets = await nl.nexthop.buckets(parseBucketShow(rest.slice(1), opts));
    else if (matches(bverb, 'get')) {
      const g = parseBucketGet(rest.slice(1));
      buckets = [await nl.nexthop.bucket(g.id, g.index)];
    } else throw new UsageError(`Command "${bverb}" is unknown, try "ip nexthop help".`);
    const rows = buckets.map((b) => bucketToIpJson(b));
    if (opts.json) out.json(rows);
    else for (const r of rows) out.line(bucketToText(r));
    return;
  }
  if (matches(verb, 'help')) throw new UsageError(USAGE);
  throw new UsageError(`Command "${verb}" is unknown, try "ip nexthop help".`);
}
