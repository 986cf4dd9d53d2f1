// `netlink-ts link show [dev NAME]`
import type { Rtnl } from '../../client.js';
import type { Link } from '../../route/link.js';
import { type GlobalOptions, UsageError, matches } from '../args.js';
import { linkToIpJson, linkToText } from '../ip-json/link.js';
import type { Output } from '../output.js';

export async function linkCommand(nl: Rtnl, words: string[], opts: GlobalOptions, out: Output): Promise<void> {
  const verb = words[0] ?? 'show';
  if (matches(verb, 'show') || matches(verb, 'list')) {
    let dev: string | undefined;
    for (let i = 1; i < words.length; i++) {
      const w = words[i]!;
      if (w === 'dev') dev = words[++i];
      else if (dev === undefined && !w.startsWith('-')) dev = w;
      else throw new UsageError(`link show: unexpected "${w}"`);
    }
    const links: Link[] = dev === undefined ? await nl.link.list() : [await nl.link.get(dev)];
    const all = dev === undefined ? links : await nl.link.list();
    const byIndex = new Map(all.map((l) => [l.index, l]));
    const rows = links.map((l) => linkToIpJson(l, { stats: opts.stats, linkOf: (i) => byIndex.get(i) }));
    if (opts.json) { out.json(rows); return; }
    // Like ip: a peer's namespace by name when one of /run/netns is it.
    const names = rows.some((r) => r.link_netnsid !== undefined) ? await nl.nsid.names() : undefined;
    for (const r of rows) out.line(linkToText(r, false, (id) => names?.get(id)));
    return;
  }
  throw new UsageError(`link: unknown verb "${verb}" (this version has: show)`);
}
