// `netlink-ts monitor [groups...] [--json]`: changes as `ip monitor` prints
// them, or one JSON object per line ({ action, kind, object }).
import type { Rtnl } from '../../client.js';
import type { MonitorEvent } from '../../events/monitor.js';
import { checkGroups } from '../../events/groups.js';
import type { Link } from '../../rtnl/link.js';
import type { GlobalOptions } from '../args.js';
import { linkToIpJson, linkToText } from '../ip-json/link.js';
import { neighToIpJson, neighToText } from '../ip-json/neigh.js';
import { ruleToIpJson, ruleToText } from '../ip-json/rule.js';
import { addressToIpJson, addressToMonitorText } from '../ip-json/addr.js';
import { routeToIpJson, routeToText } from '../ip-json/route.js';
import type { Output } from '../output.js';
import type { EventKindName, EventObjects, ObjectEventOf } from '../../events/kinds.js';
import { filterToTc } from '../tc-json/filter.js';
import { toPlain } from '../../rtnl/tc/json.js';
import { classToTc, qdiscToTc } from '../tc-json/qdisc.js';

/** How one kind is printed: `ip -j monitor`'s object, and `ip monitor`'s line. */
interface Formatter<T> {
  json(obj: T): unknown;
  text(obj: T): string;
}

/** A printer for every kind the library reports: a kind without one does not compile. */
type Formatters = { readonly [K in EventKindName]: Formatter<EventObjects[K]> };

export async function monitorCommand(nl: Rtnl, words: string[], opts: GlobalOptions, out: Output, signal?: AbortSignal): Promise<void> {
  const groups = checkGroups(words.filter((w) => !w.startsWith('-')));
  // Names of links seen so far, as ip keeps its own cache, for "@peer" and master names.
  const links = new Map<number, Link>((await nl.link.list()).map((l) => [l.index, l]));
  const linkOf = (i: number): Link | undefined => links.get(i);
  const ifname = (i: number): string => links.get(i)?.name ?? `if${i}`;
  const tcCtx = { devName: ifname, oneDev: false, stats: false };
  const formatters: Formatters = {
    link: {
      json: (o) => linkToIpJson(o, { linkOf }),
      text: (o) => linkToText(linkToIpJson(o, { linkOf }), true),
    },
    neigh: {
      json: (o) => neighToIpJson(o, { linkOf }),
      text: (o) => neighToText(neighToIpJson(o, { linkOf })),
    },
    rule: {
      json: (o) => ruleToIpJson(o),
      text: (o) => ruleToText(ruleToIpJson(o)),
    },
    address: {
      json: (o) => ({ index: o.index, dev: linkOf(o.index)?.name ?? `if${o.index}`, ...addressToIpJson(o) }),
      text: (o) => addressToMonitorText(o, linkOf(o.index)?.name),
    },
    route: {
      json: (o) => routeToIpJson(o, { ifname, showTable: true }),
      text: (o) => routeToText(routeToIpJson(o, { ifname, showTable: true })),
    },
    // tc's own printers: `tc monitor` prints the same lines as `tc qdisc|class|filter show`.
    qdisc: { json: (o) => toPlain(qdiscToTc(o, tcCtx).json), text: (o) => qdiscToTc(o, tcCtx).text.trimEnd() },
    class: { json: (o) => toPlain(classToTc(o, tcCtx).json), text: (o) => classToTc(o, tcCtx).text.trimEnd() },
    filter: { json: (o) => toPlain(filterToTc(o, tcCtx).json), text: (o) => filterToTc(o, tcCtx).text.trimEnd() },
    chain: {
      json: (o) => ({ dev: ifname(o.ifindex), parent: o.parent, chain: o.chain }),
      text: (o) => `chain dev ${ifname(o.ifindex)} parent ${o.parent} chain ${o.chain}`,
    },
    // No iproute2 shape to follow: the decoded object as it is.
    nsid: { json: (o) => o, text: (o) => JSON.stringify(o) },
  };
  for await (const ev of nl.monitor({ groups, signal })) {
    line(ev, formatters, opts.json, out);
    if (ev.kind !== 'link') continue;
    if (ev.action === 'new') links.set(ev.object.index, ev.object);
    else links.delete(ev.object.index);
  }
}

function line(ev: MonitorEvent, formatters: Formatters, json: boolean, out: Output): void {
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
  if (json) out.line(JSON.stringify({ action: ev.action, kind: ev.kind, object: printed(ev, formatters, 'json') }));
  else out.line(`${prefix(ev.kind, ev.action)}${printed(ev, formatters, 'text')}`);
}

/** One event through its kind's formatter (the kind picks the formatter and the object's type together). */
function printed<K extends EventKindName>(ev: ObjectEventOf<K>, formatters: Formatters, how: 'json' | 'text'): unknown {
  const f: Formatter<EventObjects[K]> = formatters[ev.kind];
  return how === 'json' ? f.json(ev.object) : f.text(ev.object);
}

/** ip monitor writes "Deleted " for removals; tc monitor writes "deleted ", and "added " for filters and chains. */
function prefix(kind: string, action: 'new' | 'del'): string {
  const tc = kind === 'qdisc' || kind === 'class' || kind === 'filter' || kind === 'chain';
  if (action === 'del') return tc ? 'deleted ' : 'Deleted ';
  return kind === 'filter' || kind === 'chain' ? 'added ' : '';
}
