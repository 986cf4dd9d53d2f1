// `netlink-ts stats show [dev DEV] group link`, in ip stats' words (ip/ipstats.c
// of iproute2 6.1). Only the link group is printed by this version.
import type { Rtnl } from '../../client.js';
import { type GlobalOptions, UsageError, matches } from '../args.js';
import { statsLinkToIpJson, statsLinkToText } from '../ip-json/stats.js';
import type { Output } from '../output.js';

export async function statsCommand(nl: Rtnl, words: string[], opts: GlobalOptions, out: Output): Promise<void> {
  const verb = words[0] ?? 'show';
  if (!matches(verb, 'show')) throw new UsageError(`Command "${verb}" is unknown, try "ip stats help".`);
  let dev: string | undefined;
  let group: string | undefined;
  const rest = words.slice(1);
  for (let i = 0; i < rest.length; i++) {
    const w = rest[i]!;
    const v = rest[++i];
    if (v === undefined) throw new UsageError('Command line is not complete. Try option "help"');
    if (w === 'dev') dev = v;
    else if (w === 'group') group = v;
    else throw new UsageError(`Error: argument "${w}" is wrong: unknown`);
  }
  if (group !== 'link') throw new UsageError('stats show: this version shows "group link" only (the library reads the other groups: nl.stats.list({ groups }))');
  const names = new Map((await nl.link.list()).map((l) => [l.index, l.name ?? `if${l.index}`]));
  const ifname = (i: number): string => names.get(i) ?? `if${i}`;
  const list = await nl.stats.list({ dev, groups: ['link64'] });
  if (opts.json) out.json(list.map((s) => statsLinkToIpJson(s, ifname)));
  else for (const s of list) out.line(statsLinkToText(s, ifname));
}
