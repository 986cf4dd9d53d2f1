// `netlink-ts filter show|add|change|replace|del ...` with tc's words:
// `filter add dev veth0 parent 1: protocol ip prio 1 u32 match ip dst 198.18.0.0/16 flowid 1:10`.
import type { FilterInput, FilterListFilter } from '../../api/families/filter.js';
import type { Rtnl } from '../../client.js';
import { formatHandle } from '../../rtnl/tc/handles.js';
import { parseFilterParent } from '../../rtnl/tc/filter.js';
import { parseProtocol, protocolName } from '../../rtnl/tc/protocols.js';
import { type GlobalOptions, UsageError, matches } from '../args.js';
import type { Output } from '../output.js';
import { filterKindOf } from '../../rtnl/tc/filters/registry.js';
import { Words, cNumber, parseUnsigned } from '../../rtnl/words.js';
import { filterToTc } from '../tc-json/filter.js';
import { parseU32Handle } from '../../rtnl/tc/filters/u32.js';
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

/** The words of `tc filter show|get`: where the filters are, and (get) which one. */
interface FilterSelect {
  dev?: string; block?: number; parent?: string; priority?: number; protocol?: string; chain?: number;
  handle?: string; kind?: string;
}

function parseFilterSelect(words: readonly string[], verb: 'show' | 'get'): FilterSelect {
  const f: FilterSelect = {};
  const w = new Words(words, `filter ${verb}`);
  while (!w.done) {
    const k = w.next();
    if (k === 'dev') {
      if (f.block !== undefined) throw new UsageError('Error: "dev" and "block" are mutually exclusive');
      f.dev = w.value(k);
    } else if (matches(k, 'block')) {
      if (f.dev !== undefined) throw new UsageError('Error: "dev" and "block" are mutually exclusive');
      const v = w.value(k);
      const n = parseUnsigned(v);
      if (n === undefined || n === 0 || n > 0xffffffff) throw new UsageError(`Error: argument "${v}" is wrong: invalid block index value`);
      f.block = n;
    } else if (k === 'root' || k === 'ingress' || k === 'egress') f.parent = k;
    else if (k === 'parent') f.parent = w.value(k);
    else if (matches(k, 'preference') || matches(k, 'priority')) f.priority = cNumber(w.value(k), 'filter priority');
    else if (matches(k, 'protocol')) f.protocol = w.value(k);
    else if (matches(k, 'chain')) f.chain = cNumber(w.value(k), 'filter chain');
    else if (verb === 'get' && k === 'handle') f.handle = w.value(k);
    else if (verb === 'get' && filterKindOf(k)) { f.kind = k; break; }
    else w.unknown(k);
  }
  return f;
}

/** A filter's handle as its kind reads it (u32's 800::800, the others a number). */
function filterHandle(kind: string, text: string): number {
  if (kind === 'u32') return parseU32Handle(text, 'handle');
  const n = parseUnsigned(text);
  if (n === undefined || n > 0xffffffff) throw new UsageError(`Error: argument "${text}" is wrong: Illegal "handle"`);
  return n;
}

export async function filterCommand(nl: Rtnl, words: string[], opts: GlobalOptions, out: Output): Promise<void> {
  const verb = words[0] ?? 'show';
  const show = matches(verb, 'show') || matches(verb, 'list') || matches(verb, 'lst');
  if (show || verb === 'get') {
    const f = parseFilterSelect(words.slice(1), show ? 'show' : 'get');
    if (!show) {
      // tc 6.1 asks for a parent with a block too; a block's filters need none, so this one does not.
      if (f.block === undefined && f.parent === undefined) throw new UsageError('Must specify filter parent');
      if (f.handle === undefined) throw new UsageError('Must specify filter "handle"');
      if (f.kind === undefined) throw new UsageError('filter get: which kind of filter? (u32, bpf, matchall...)');
      if (f.priority === undefined || f.protocol === undefined) throw new UsageError('filter get: "pref" and "protocol" name the filter too');
    }
    const where: FilterListFilter | undefined = f.block !== undefined ? { block: f.block } : f.dev !== undefined ? { dev: f.dev, parent: f.parent } : undefined;
    if (!where) throw new UsageError(`filter ${verb}: which device? (dev NAME or block N; the kernel lists filters per device or block)`);
    const [listed, names] = await Promise.all([
      nl.filter.list({ ...where, priority: f.priority, protocol: f.protocol, chain: f.chain }), devNames(nl),
    ]);
    // get: the one filter the kernel's RTM_GETTFILTER would answer with, picked from the listing of its parent and pref.
    const handle = f.kind === undefined || f.handle === undefined ? undefined : filterHandle(f.kind, f.handle);
    const filters = handle === undefined ? listed : listed.filter((x) => x.kind === f.kind && x.handle === handle && (x.chain ?? 0) === (f.chain ?? 0));
    if (handle !== undefined && !filters.length) throw new UsageError('Error: Specified filter handle not found.', 2);
    const ctx = {
      devName: names, stats: opts.stats, oneDev: true, block: f.block,
      parent: !show || f.parent === undefined ? undefined : formatHandle(parseFilterParent(f.parent, 'parent')),
      protocol: !show || f.protocol === undefined ? undefined : protocolName(parseProtocol(f.protocol, 'protocol')),
      priority: show ? f.priority : undefined, chain: show ? f.chain : undefined,
    };
    printRows(filters.map((x) => filterToTc(x, ctx)), opts, out);
    return;
  }
  const v = modifyVerb(verb);
  if (!v || v === 'link') throw new UsageError(`filter: unknown verb "${verb}" (show, get, add, change, replace, del)`);
  await nl.filter[v](parseFilterModify(words.slice(1)));
}
