// `netlink-ts addrlabel [ list | add | del | flush ]`, in ip addrlabel's words
// (ip/ipaddrlabel.c of iproute2 6.1).
import type { AddrlabelInput } from '../../api/addrlabels.js';
import type { Rtnl } from '../../client.js';
import type { Link } from '../../rtnl/link.js';
import { type GlobalOptions, UsageError, matches } from '../args.js';
import { addrlabelToIpJson, addrlabelToText } from '../ip-json/addrlabel.js';
import { parseUnsigned } from '../ip-json/iproute2-names.js';
import type { Output } from '../output.js';

const USAGE = 'Usage: netlink-ts addrlabel { add | del } prefix PREFIX [ dev DEV ] [ label LABEL ]\n       netlink-ts addrlabel [ list | flush | help ]';

/** ipaddrlabel_modify: prefix and label are required; words it does not know are skipped, as ip skips them. */
export function parseAddrlabelModify(words: string[]): AddrlabelInput {
  let prefix: string | undefined;
  let label: number | undefined;
  let dev: string | undefined;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w !== 'prefix' && w !== 'dev' && w !== 'label') continue;
    const v = words[++i];
    if (v === undefined) throw new UsageError('Command line is not complete. Try option "help"');
    if (w === 'prefix') prefix = v;
    else if (w === 'dev') dev = v;
    else {
      label = parseUnsigned(v);
      if (label === undefined || label >= 0xffffffff) throw new UsageError(`Error: label is invalid: "${v}"`);
    }
  }
  if (prefix === undefined) throw new UsageError('Not enough information: "prefix" argument is required.');
  if (label === undefined) throw new UsageError('Not enough information: "label" argument is required.');
  return dev === undefined ? { prefix, label } : { prefix, dev, label };
}

export async function addrlabelCommand(nl: Rtnl, words: string[], opts: GlobalOptions, out: Output): Promise<void> {
  const verb = words[0] ?? 'list';
  const rest = words.slice(1);
  if (matches(verb, 'list') || matches(verb, 'lst') || matches(verb, 'show')) {
    if (rest.length) throw new UsageError('"ip addrlabel show" does not take any arguments.');
    const links = new Map<number, Link>((await nl.link.list()).map((l) => [l.index, l]));
    const ifname = (i: number): string => links.get(i)?.name ?? `if${i}`;
    const rows = (await nl.addrlabel.list()).map((l) => addrlabelToIpJson(l, { ifname }));
    if (opts.json) out.json(rows);
    else for (const r of rows) out.line(addrlabelToText(r));
    return;
  }
  if (matches(verb, 'add')) return nl.addrlabel.add(parseAddrlabelModify(rest));
  if (matches(verb, 'delete')) return nl.addrlabel.delete(parseAddrlabelModify(rest));
  if (matches(verb, 'flush')) {
    if (rest.length) throw new UsageError('"ip addrlabel flush" does not allow extra arguments');
    await nl.addrlabel.flush();
    return;
  }
  if (matches(verb, 'help')) throw new UsageError(USAGE);
  throw new UsageError(`Command "${verb}" is unknown, try "ip addrlabel help".`);
}
