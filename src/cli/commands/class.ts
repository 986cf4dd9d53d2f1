// `netlink-ts class show|add|change|replace|del ...` with tc's words:
// `class add dev veth0 parent 1: classid 1:10 htb rate 10mbit ceil 20mbit`.
import type { ClassInput } from '../../api/families/class.js';
import type { Rtnl } from '../../client.js';
import { type GlobalOptions, UsageError, matches } from '../args.js';
import type { Output } from '../output.js';
import { qdiscKindOf } from '../../rtnl/tc/qdiscs/registry.js';
import { Words } from '../../rtnl/words.js';
import { classToTc } from '../tc-json/qdisc.js';
import { devNames, modifyVerb, printRows } from './tc-shared.js';

/** tc_class_modify's words → the library's input. */
export function parseClassModify(words: readonly string[]): ClassInput {
  const w = new Words(words, 'class');
  const c: Record<string, unknown> = {};
  let kind: string | undefined;
  while (!w.done) {
    const k = w.next();
    if (k === 'dev') c.dev = w.value(k);
    else if (k === 'classid') c.classid = w.value(k);
    else if (k === 'handle') throw new UsageError('class: try "classid" instead of "handle"');
    else if (k === 'root') c.parent = 'root';
    else if (k === 'parent') c.parent = w.value(k);
    else if (matches(k, 'estimator')) c.estimator = { interval: w.value(k), timeConstant: w.value(k) };
    else { kind = k; break; }
  }
  if (c.dev === undefined) throw new UsageError('class: which device? (dev NAME)');
  if (kind !== undefined) {
    c.kind = kind;
    const parser = qdiscKindOf(kind)?.classWords;
    if (parser) c.options = parser(new Words(w.rest(), `${kind} class`));
    else if (!w.done) throw new UsageError(`class: options of "${kind}" classes are not modeled ("${w.peek()}")`);
  }
  return c as ClassInput;
}

export async function classCommand(nl: Rtnl, words: string[], opts: GlobalOptions, out: Output): Promise<void> {
  const verb = words[0] ?? 'show';
  if (matches(verb, 'show') || matches(verb, 'list') || matches(verb, 'lst')) {
    const f: { dev?: string; parent?: string; qdisc?: string; classid?: string } = {};
    const w = new Words(words.slice(1), 'class show');
    while (!w.done) {
      const k = w.next();
      if (k === 'dev') f.dev = w.value(k);
      else if (k === 'qdisc') f.qdisc = w.value(k);
      else if (k === 'classid') f.classid = w.value(k);
      else if (k === 'root') f.parent = 'root';
      else if (k === 'parent') f.parent = w.value(k);
      else w.unknown(k);
    }
    const [classes, names] = await Promise.all([nl.class.list(f), devNames(nl)]);
    const ctx = { devName: names, oneDev: f.dev !== undefined, stats: opts.stats };
    printRows(classes.map((c) => classToTc(c, ctx)), opts, out);
    return;
  }
  const v = modifyVerb(verb);
  if (!v || v === 'link') throw new UsageError(`class: unknown verb "${verb}" (show, add, change, replace, del)`);
  await nl.class[v](parseClassModify(words.slice(1)));
}
