// `netlink-ts qdisc show|add|change|replace|link|del ...` with tc's words in
// tc's order: `qdisc add dev veth0 root handle 1: htb default 10`.
import type { QdiscInput } from '../../api/families/qdisc.js';
import type { Rtnl } from '../../client.js';
import type { TcVerb } from '../../rtnl/tc/qdisc.js';
import { type GlobalOptions, UsageError, matches } from '../args.js';
import { parseUnsigned } from '../ip-json/iproute2-names.js';
import type { Output } from '../output.js';
import { qdiscKindOf } from '../../rtnl/tc/qdiscs/registry.js';
import { Words } from '../../rtnl/words.js';
import { qdiscToTc } from '../tc-json/qdisc.js';
import { devNames, modifyVerb, printRows } from './tc-shared.js';

/** A shared block's index, as tc's get_u32(…, 0) reads it: Number() would take "", "1e3" or " 5". */
function blockIndex(text: string, hook: 'ingress' | 'egress'): number {
  const n = parseUnsigned(text);
  if (n === undefined || n > 0xffffffff) throw new UsageError(`invalid ${hook} block index value: "${text}"`);
  return n;
}

/** tc_qdisc_modify's words → the library's input (the device stays a name). */
export function parseQdiscModify(words: readonly string[]): QdiscInput {
  const w = new Words(words, 'qdisc');
  const q: Record<string, unknown> = {};
  let kind: string | undefined;
  while (!w.done) {
    const k = w.next();
    if (k === 'dev') q.dev = w.value(k);
    else if (k === 'handle') q.handle = w.value(k);
    else if (k === 'root') q.parent = 'root';
    else if (k === 'ingress' || k === 'clsact') { q.parent = k; kind = k; break; }
    else if (k === 'parent') q.parent = w.value(k);
    else if (matches(k, 'estimator')) q.estimator = { interval: w.value(k), timeConstant: w.value(k) };
    else if (matches(k, 'ingress_block')) q.ingressBlock = blockIndex(w.value(k), 'ingress');
    else if (matches(k, 'egress_block')) q.egressBlock = blockIndex(w.value(k), 'egress');
    else { kind = k; break; }
  }
  if (q.dev === undefined) throw new UsageError('qdisc: which device? (dev NAME)');
  if (kind !== undefined) {
    q.kind = kind;
    const parser = qdiscKindOf(kind)?.words;
    if (parser) {
      const options = parser(new Words(w.rest(), kind));
      if (Object.keys(options).length) q.options = options;
    } else if (!w.done) {
      throw new UsageError(`unknown qdisc "${kind}", hence option "${w.peek()}" is unparsable`);
    }
  }
  return q as QdiscInput;
}

export async function qdiscCommand(nl: Rtnl, words: string[], opts: GlobalOptions, out: Output): Promise<void> {
  const verb = words[0] ?? 'show';
  if (matches(verb, 'show') || matches(verb, 'list') || matches(verb, 'lst')) {
    const f: { dev?: string; parent?: string; handle?: string; invisible?: boolean } = {};
    const w = new Words(words.slice(1), 'qdisc show');
    while (!w.done) {
      const k = w.next();
      if (k === 'dev') f.dev = w.value(k);
      else if (k === 'root') f.parent = 'root';
      else if (k === 'ingress' || k === 'clsact') f.parent = 'ingress';
      else if (matches(k, 'parent')) f.parent = w.value(k);
      else if (matches(k, 'handle')) f.handle = w.value(k);
      else if (k === 'invisible') f.invisible = true;
      else w.unknown(k);
    }
    const [qdiscs, names] = await Promise.all([nl.qdisc.list(f), devNames(nl)]);
    const ctx = { devName: names, oneDev: f.dev !== undefined, stats: opts.stats, details: opts.details };
    printRows(qdiscs.map((q) => qdiscToTc(q, ctx)), opts, out);
    return;
  }
  const v = modifyVerb(verb, true);
  if (!v) throw new UsageError(`qdisc: unknown verb "${verb}" (show, add, change, replace, link, del)`);
  const input = parseQdiscModify(words.slice(1));
  if (v === 'link') await nl.qdisc.link(input);
  else await nl.qdisc[v as TcVerb](input);
}
