// What the qdisc, class and filter commands share: tc's verbs and the device
// names tc prints in place of indexes.
import type { Rtnl } from '../../client.js';
import { type GlobalOptions, matches } from '../args.js';
import type { Output } from '../output.js';
import { serialize } from '../../rtnl/tc/json.js';
import type { TcPrinter } from '../../rtnl/tc/printer.js';

export type ModifyVerb = 'add' | 'change' | 'replace' | 'delete' | 'link';

/** tc's verb words, matched by prefix in tc's order (so "del" and "d" mean delete). */
export function modifyVerb(word: string, allowLink = false): ModifyVerb | undefined {
  if (matches(word, 'add')) return 'add';
  if (matches(word, 'change')) return 'change';
  if (matches(word, 'replace')) return 'replace';
  if (allowLink && matches(word, 'link')) return 'link';
  if (matches(word, 'delete')) return 'delete';
  return undefined;
}

/** Index → name for the devices of this namespace. */
export async function devNames(nl: Rtnl): Promise<(ifindex: number) => string> {
  const names = new Map((await nl.link.list()).map((l) => [l.index, l.name ?? String(l.index)]));
  return (i) => names.get(i) ?? `if${i}`;
}

/** One JSON array like tc -j, or one text block per object. */
export function printRows(rows: readonly TcPrinter[], opts: GlobalOptions, out: Output): void {
  if (opts.json) out.line(serialize(rows.map((r) => r.json)));
  else for (const r of rows) out.line(r.text);
}
