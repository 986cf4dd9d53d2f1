// `netlink-ts netconf show [dev NAME]`, in ip netconf's words (ip/ipnetconf.c
// of iproute2 6.1): a dump, or with a family (-4/-6) and a device one lookup.
import type { Rtnl } from '../../client.js';
import type { Link } from '../../rtnl/link.js';
import { type GlobalOptions, UsageError, matches } from '../args.js';
import { netconfToIpJson, netconfToText } from '../ip-json/netconf.js';
import type { Output } from '../output.js';

export async function netconfCommand(nl: Rtnl, words: string[], opts: GlobalOptions, out: Output): Promise<void> {
  const verb = words[0] ?? 'show';
  if (matches(verb, 'help')) throw new UsageError('Usage: netlink-ts netconf show [ dev STRING ]');
  if (!matches(verb, 'show') && !matches(verb, 'lst') && !matches(verb, 'list')) {
    throw new UsageError(`Command "${verb}" is unknown, try "ip netconf help".`);
  }
  let dev: string | undefined;
  const rest = words.slice(1);
  // ip skips words it does not know; "dev" takes the next one.
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === 'dev') {
      dev = rest[++i];
      if (dev === undefined) throw new UsageError('Command line is not complete. Try option "help"');
    }
  }
  const links = new Map<number, Link>((await nl.link.list()).map((l) => [l.index, l]));
  const ifindex = dev === undefined ? undefined : [...links.values()].find((l) => l.name === dev)?.index;
  if (dev !== undefined && ifindex === undefined) throw new UsageError(`Device "${dev}" does not exist.`, 255);
  const ifname = (i: number): string => links.get(i)?.name ?? `if${i}`;
  if (ifindex !== undefined && opts.family !== undefined) {
    // ip prints a lookup's answer outside its JSON writer: as text, even with -j.
    const n = await nl.netconf.get({ family: opts.family, dev: ifindex });
    out.line(netconfToText(netconfToIpJson(n, { ifname })));
    return;
  }
  const list = await nl.netconf.list({ family: opts.family, dev: ifindex });
  const rows = list.map((n) => netconfToIpJson(n, { ifname }));
  if (opts.json) out.json(rows);
  else for (const r of rows) out.line(netconfToText(r));
}
