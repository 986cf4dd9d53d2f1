// `netlink-ts link show|add|set|del ...`, in iproute2's syntax.
import { closeSync, openSync } from 'node:fs';
import type { Rtnl } from '../../client.js';
import { openNetnsRef } from '../../netns/ref.js';
import type { Link } from '../../rtnl/link.js';
import { type GlobalOptions, UsageError, matches } from '../args.js';
import { linkDetailsJson } from '../ip-json/link-details.js';
import { linkToIpJson, linkToText } from '../ip-json/link.js';
import { linkBrief, linkBriefJson } from '../brief.js';
import { briefPaint, colourLinkText, colourOn } from '../colour.js';
import { type LinkArgsContext, type LinkCommand, parseLinkCommand, parseLinkPropertyCommand } from '../link-args.js';
import type { Output } from '../output.js';
import { Words, num } from '../../rtnl/words.js';

export async function linkCommand(nl: Rtnl, words: string[], opts: GlobalOptions, out: Output): Promise<void> {
  const verb = words[0] ?? 'show';
  if (matches(verb, 'show') || matches(verb, 'list')) {
    await show(nl, words.slice(1), opts, out);
    return;
  }
  if (verb === 'property') {
    await applyLinkCommand(nl, await parseLinkPropertyCommand(words.slice(1), cliContext(nl, [])));
    return;
  }
  const change = matches(verb, 'add') ? 'add' : matches(verb, 'set') || matches(verb, 'change') ? 'set' : matches(verb, 'delete') ? 'del' : undefined;
  if (!change) throw new UsageError(`link: unknown verb "${verb}" (this version has: show, add, set, del, property)`);
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
  if (cmd.verb === 'property') return cmd.action === 'add' ? nl.link.addAltNames(cmd.index, ...cmd.names) : nl.link.delAltNames(cmd.index, ...cmd.names);
  return 'group' in cmd ? nl.link.del({ group: cmd.group }) : nl.link.del(cmd.index);
}

/** Names as iproute2 resolves them: links through the kernel, namespaces as /run/netns/NAME. */
function cliContext(nl: Rtnl, fds: number[]): LinkArgsContext {
  return {
    index: (name) => nl.ifindex(name),
    netnsFd(name) {
      // iproute2's netns_get_fd: a path as it is, a name under /run/netns (a checked name, never through a link).
      try {
        const fd = name.includes('/') ? openSync(name, 'r') : openNetnsRef(name, 'link set netns').fd;
        fds.push(fd);
        return fd;
      } catch {
        return undefined;
      }
    },
  };
}

/** `link show [dev] NAME | up | master M | type KIND | group G`: the filters of iproute2's ip link show. */
async function show(nl: Rtnl, words: string[], opts: GlobalOptions, out: Output): Promise<void> {
  let dev: string | undefined;
  let up = false;
  let master: string | undefined;
  let type: string | undefined;
  let group: number | undefined;
  const w = new Words(words, 'link show');
  while (!w.done) {
    const x = w.next();
    if (x === 'up') up = true;
    else if (matches(x, 'master')) master = w.value(x);
    else if (matches(x, 'type')) type = w.value(x);
    else if (x === 'group') group = num(w.value(x), 'group');
    else if (x === 'dev') dev = w.value(x);
    else if (dev === undefined) dev = x;
    else w.fail(`unexpected "${x}"`);
  }
  // master and type (of the link itself) are filtered by the kernel, as ip asks it to.
  const slaveKind = type?.endsWith('_slave') ? type.slice(0, -'_slave'.length) : undefined;
  const filter = { master, kind: slaveKind === undefined ? type : undefined };
  const all = await nl.link.list();
  const links: Link[] = dev !== undefined ? [await nl.link.get(dev)] : filter.master || filter.kind ? await nl.link.list(filter) : all;
  const byIndex = new Map(all.map((l) => [l.index, l]));
  // The rest ip filters itself, and prints an empty object where it leaves a link out.
  const shown = (l: Link): boolean => (!up || l.flags.includes('up')) && (group === undefined || l.group === group)
    && (slaveKind === undefined || l.linkinfo?.slaveKind === slaveKind);
  const linkName = (i: number): string => byIndex.get(i)?.name ?? `if${i}`;
  const details = opts.details ? (l: Link) => linkDetailsJson(l, linkName) : undefined;
  const rows = links.map((l) => (shown(l) ? linkToIpJson(l, { stats: opts.stats, linkOf: (i) => byIndex.get(i), details }) : {}));
  if (opts.json) { out.json(opts.brief ? rows.map(linkBriefJson) : rows); return; }
  // Like ip: a peer's namespace by name when one of /run/netns is it.
  const names = rows.some((r) => r.link_netnsid !== undefined) ? await nl.nsid.names() : undefined;
  const colour = colourOn(opts);
  const text = (r: typeof rows[number]): string => {
    if (opts.brief) return linkBrief(r, briefPaint(colour));
    const t = linkToText(r, false, (id) => names?.get(id));
    return colour ? colourLinkText(t) : t;
  };
  for (const r of rows) if (r.ifindex !== undefined) out.line(text(r));
}
