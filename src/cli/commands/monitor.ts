// `netlink-ts monitor [groups...] [--json]`: changes as `ip monitor` prints
// them, or one JSON object per line ({ action, kind, object }).
import type { Rtnl } from '../../client.js';
import type { MonitorEvent } from '../../events/monitor.js';
import type { Link } from '../../route/link.js';
import type { GlobalOptions } from '../args.js';
import { type Json, linkToIpJson, linkToText } from '../ip-json/link.js';
import { neighToIpJson, neighToText } from '../ip-json/neigh.js';
import { ruleToIpJson, ruleToText } from '../ip-json/rule.js';
import { addressToIpJson, addressToMonitorText } from '../ip-json/addr.js';
import { routeToIpJson, routeToText } from '../ip-json/route.js';
import type { Address } from '../../route/address.js';
import type { Route } from '../../route/route.js';
import type { Neighbour } from '../../route/neighbour.js';
import type { Rule } from '../../route/rule.js';
import type { Output } from '../output.js';
import type { TcClass } from '../../route/tc/class.js';
import type { Filter } from '../../route/tc/filter.js';
import type { Qdisc } from '../../route/tc/qdisc.js';
import type { TcChain } from '../../events/kinds.js';
import { filterToTc } from '../tc-json/filter.js';
import { toPlain } from '../tc-json/json.js';
import { classToTc, qdiscToTc } from '../tc-json/qdisc.js';

interface Formatter {
  json(obj: unknown): Json;
  text(obj: unknown): string;
}

export async function monitorCommand(nl: Rtnl, words: string[], opts: GlobalOptions, out: Output, signal?: AbortSignal): Promise<void> {
  const groups = words.filter((w) => !w.startsWith('-'));
  // Names of links seen so far, as ip keeps its own cache, for "@peer" and master names.
  const links = new Map<number, Link>((await nl.link.list()).map((l) => [l.index, l]));
  const linkOf = (i: number): Link | undefined => links.get(i);
  const ifname = (i: number): string => links.get(i)?.name ?? `if${i}`;
  const tcCtx = { devName: ifname, oneDev: false, stats: false };
  const formatters: Record<string, Formatter> = {
    link: {
      json: (o) => linkToIpJson(o as Link, { linkOf }),
      text: (o) => linkToText(linkToIpJson(o as Link, { linkOf }), true),
    },
    neigh: {
      json: (o) => neighToIpJson(o as Neighbour, { linkOf }),
      text: (o) => neighToText(neighToIpJson(o as Neighbour, { linkOf })),
    },
    rule: {
      json: (o) => ruleToIpJson(o as Rule),
      text: (o) => ruleToText(ruleToIpJson(o as Rule)),
    },
    address: {
      json: (o) => ({ index: (o as Address).index, dev: linkOf((o as Address).index)?.name ?? `if${(o as Address).index}`, ...addressToIpJson(o as Address) }),
      text: (o) => addressToMonitorText(o as Address, linkOf((o as Address).index)?.name),
    },
    route: {
      json: (o) => routeToIpJson(o as Route, { ifname, showTable: true }),
      text: (o) => routeToText(routeToIpJson(o as Route, { ifname, showTable: true })),
    },
    // tc's own printers: `tc monitor` prints the same lines as `tc qdisc|class|filter show`.
    qdisc: { json: (o) => toPlain(qdiscToTc(o as Qdisc, tcCtx).json) as Json, text: (o) => qdiscToTc(o as Qdisc, tcCtx).text.trimEnd() },
    class: { json: (o) => toPlain(classToTc(o as TcClass, tcCtx).json) as Json, text: (o) => classToTc(o as TcClass, tcCtx).text.trimEnd() },
    filter: { json: (o) => toPlain(filterToTc(o as Filter, tcCtx).json) as Json, text: (o) => filterToTc(o as Filter, tcCtx).text.trimEnd() },
    chain: {
      json: (o) => ({ dev: ifname((o as TcChain).ifindex), parent: (o as TcChain).parent, chain: (o as TcChain).chain }),
      text: (o) => `chain dev ${ifname((o as TcChain).ifindex)} parent ${(o as TcChain).parent} chain ${(o as TcChain).chain}`,
    },
  };
  for await (const ev of nl.monitor({ groups, signal })) {
    line(ev, formatters, opts.json, out);
    if (ev.action === 'new' && ev.kind === 'link') links.set((ev.object as Link).index, ev.object as Link);
    if (ev.action === 'del' && ev.kind === 'link') links.delete((ev.object as Link).index);
  }
}

function line(ev: MonitorEvent, formatters: Record<string, Formatter>, json: boolean, out: Output): void {
  if (ev.action === 'overrun') {
    if (json) out.line(JSON.stringify({ action: 'overrun', error: ev.error.message }));
    else out.line(`overrun: ${ev.error.message}`);
    return;
  }
  if (ev.action === 'synced') return;
  if (ev.action === 'raw') {
    if (json) out.line(JSON.stringify({ action: 'raw', type: ev.object.type }));
    else out.line(`[message type ${ev.object.type}]`);
    return;
  }
  const f = formatters[ev.kind];
  if (json) out.line(JSON.stringify({ action: ev.action, kind: ev.kind, object: f ? f.json(ev.object) : ev.object }));
  else out.line(`${prefix(ev.kind, ev.action)}${f ? f.text(ev.object) : JSON.stringify(ev.object)}`);
}

/** ip monitor writes "Deleted " for removals; tc monitor writes "deleted ", and "added " for filters and chains. */
function prefix(kind: string, action: 'new' | 'del'): string {
  const tc = kind === 'qdisc' || kind === 'class' || kind === 'filter' || kind === 'chain';
  if (action === 'del') return tc ? 'deleted ' : 'Deleted ';
  return kind === 'filter' || kind === 'chain' ? 'added ' : '';
}
