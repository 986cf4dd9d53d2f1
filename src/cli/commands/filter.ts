// `netlink-ts filter show|add|change|replace|del ...` with tc's words:
// `filter add dev veth0 parent 1: protocol ip prio 1 u32 match ip dst 198.18.0.0/16 flowid 1:10`.
import type { FilterInput } from '../../api/families/filter.js';
import type { Rtnl } from '../../client.js';
import { formatHandle } from '../../rtnl/tc/handles.js';
import { parseFilterParent } from '../../rtnl/tc/filter.js';
import { parseProtocol, protocolName } from '../../rtnl/tc/protocols.js';
import { type GlobalOptions, UsageError, matches } from '../args.js';
import type { Output } from '../output.js';
import { filterKindOf } from '../../rtnl/tc/filters/registry.js';
import { Words, cNumber } from '../../rtnl/words.js';
import { filterToTc } from '../tc-json/filter.js';
import { devNames, modifyVerb, printRows } from './tc-shared.js';

/** tc_filter_modify's words → the library's input. */
export function parseFilterModify(words: readonly string[]): FilterInput {
  const w = new Words(words, 'filter');
  const f: Record<string, unknown> = {};
  let kind: string | undefined;
  while (!w.done) {
    const k = w.next();
    if (k === 'dev') f.dev = w.value(k);
    else if (k === 'root') f.parent = 'root';
    else if (k === 'ingress' || k === 'egress') f.parent = k;
    else if (k === 'parent') f.parent = w.value(k);
    else if (k === 'handle') f.handle = w.value(k);
    else if (matches(k, 'preference') || matches(k, 'priority')) f.priority = cNumber(w.value(k), 'filter priority');
    else if (matches(k, 'protocol')) f.protocol = w.value(k);
    else if (matches(k, 'chain')) f.chain = cNumber(w.value(k), 'filter chain');
    else if (matches(k, 'estimator')) f.estimator = { interval: w.value(k), timeConstant: w.value(k) };
    else { kind = k; break; }
  }
  if (f.dev === undefined) throw new UsageError('filter: which device? (dev NAME)');
  if (kind !== undefined) {
    f.kind = kind;
    const parser = filterKindOf(kind)?.words;
    if (parser) {
      const options = parser(new Words(w.rest(), kind));
      if (Object.keys(options).length) f.options = options;
    } else if (!w.done) {
      throw new UsageError(`unknown filter "${kind}", hence option "${w.peek()}" is unparsable`);
    }
  }
  return f as FilterInput;
}

export async function filterCommand(nl: Rtnl, words: string[], opts: GlobalOptions, out: Output): Promise<void> {
  const verb = words[0] ?? 'show';
  if (matches(verb, 'show') || matches(verb, 'list') || matches(verb, 'lst')) {
    const f: { dev?: string; parent?: string; priority?: number; protocol?: string; chain?: number } = {};
    const w = new Words(words.slice(1), 'filter show');
    while (!w.done) {
      const k = w.next();
      if (k === 'dev') f.dev = w.value(k);
      else if (k === 'root' || k === 'ingress' || k === 'egress') f.parent = k;
      else if (k === 'parent') f.parent = w.value(k);
      else if (matches(k, 'preference') || matches(k, 'priority')) f.priority = cNumber(w.value(k), 'filter priority');
      else if (matches(k, 'protocol')) f.protocol = w.value(k);
      else if (matches(k, 'chain')) f.chain = cNumber(w.value(k), 'filter chain');
      else w.unknown(k);
    }
    if (f.dev === undefined) throw new UsageError('filter show: which device? (dev NAME; the kernel lists filters per device)');
    const [filters, names] = await Promise.all([nl.filter.list({ ...f, dev: f.dev }), devNames(nl)]);
    const ctx = {
      devName: names, stats: opts.stats, oneDev: true,
      parent: f.parent === undefined ? undefined : formatHandle(parseFilterParent(f.parent, 'parent')),
      protocol: f.protocol === undefined ? undefined : protocolName(parseProtocol(f.protocol, 'protocol')),
      priority: f.priority, chain: f.chain,
    };
    printRows(filters.map((x) => filterToTc(x, ctx)), opts, out);
    return;
  }
  const v = modifyVerb(verb);
  if (!v || v === 'link') throw new UsageError(`filter: unknown verb "${verb}" (show, add, change, replace, del)`);
  await nl.filter[v](parseFilterModify(words.slice(1)));
}
