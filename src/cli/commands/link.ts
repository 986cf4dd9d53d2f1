// `netlink-ts link show|add|set|del ...`, in iproute2's syntax.
import { closeSync, openSync } from 'node:fs';
import type { Rtnl } from '../../client.js';
import type { Link } from '../../route/link.js';
import { type GlobalOptions, UsageError, matches } from '../args.js';
import { linkDetailsJson } from '../ip-json/link-details.js';
import { linkToIpJson, linkToText } from '../ip-json/link.js';
import { type LinkArgsContext, type LinkCommand, parseLinkCommand } from '../link-args.js';
import type { Output } from '../output.js';

export async function linkCommand(nl: Rtnl, words: string[], opts: GlobalOptions, out: Output): Promise<void> {
  const verb = words[0] ?? 'show';
  if (matches(verb, 'show') || matches(verb, 'list')) {
    await show(nl, words.slice(1), opts, out);
    return;
  }
  const change = matches(verb, 'add') ? 'add' : matches(verb, 'set') || matches(verb, 'change') ? 'set' : matches(verb, 'delete') ? 'del' : undefined;
  if (!change) throw new UsageError(`link: unknown verb "${verb}" (this version has: show, add, set, del)`);
  const fds: number[] = [];
  try {
    const cmd = await parseLinkCommand(change, words.slice(1), cliContext(nl, fds));
    await applyLinkCommand(nl, cmd);
  } finally {
    for (const fd of fds) closeSync(fd);
  }
}

/** Sends what a parsed command asks for, through the library's verbs. */
export async function applyLinkCommand(nl: Rtnl, cmd: LinkCommand): Promise<void> {
  if (cmd.verb === 'add') return nl.link.add(cmd.input);
  if (cmd.verb === 'set') return nl.link.set(cmd.index, cmd.input);
  return 'group' in cmd ? nl.link.del({ group: cmd.group }) : nl.link.del(cmd.index);
}

/** Names as iproute2 resolves them: links through the kernel, namespaces as /run/netns/NAME. */
function cliContext(nl: Rtnl, fds: number[]): LinkArgsContext {
  return {
    index: (name) => nl.ifindex(name),
    netnsFd(name) {
      // iproute2's netns_get_fd: a path as it is, a name under /run/netns.
      const path = name.includes('/') ? name : `/run/netns/${name}`;
      try {
        const fd = openSync(path, 'r');
        fds.push(fd);
        return fd;
      } catch {
        return undefined;
      }
    },
  };
}

async function show(nl: Rtnl, words: string[], opts: GlobalOptions, out: Output): Promise<void> {
  let dev: string | undefined;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === 'dev') dev = words[++i];
    else if (dev === undefined && !w.startsWith('-')) dev = w;
    else throw new UsageError(`link show: unexpected "${w}"`);
  }
  const links: Link[] = dev === undefined ? await nl.link.list() : [await nl.link.get(dev)];
  const all = dev === undefined ? links : await nl.link.list();
  const byIndex = new Map(all.map((l) => [l.index, l]));
  const linkName = (i: number): string => byIndex.get(i)?.name ?? `if${i}`;
  const details = opts.details ? (l: Link) => linkDetailsJson(l, linkName) : undefined;
  const rows = links.map((l) => linkToIpJson(l, { stats: opts.stats, linkOf: (i) => byIndex.get(i), details }));
  if (opts.json) out.json(rows);
  else for (const r of rows) out.line(linkToText(r));
}
