// `netlink-ts monitor [groups...] [--json]`: changes as `ip monitor` prints
// them, or one JSON object per line ({ action, kind, object }).
import type { Rtnl } from '../../client.js';
import type { MonitorEvent } from '../../events/monitor.js';
import type { Link } from '../../route/link.js';
import type { GlobalOptions } from '../args.js';
import { type Json, linkToIpJson, linkToText } from '../ip-json/link.js';
import { neighToIpJson, neighToText } from '../ip-json/neigh.js';
import { ruleToIpJson, ruleToText } from '../ip-json/rule.js';
import type { Neighbour } from '../../route/neighbour.js';
import type { Rule } from '../../route/rule.js';
import type { Output } from '../output.js';

interface Formatter {
  json(obj: unknown): Json;
  text(obj: unknown): string;
}

export async function monitorCommand(nl: Rtnl, words: string[], opts: GlobalOptions, out: Output, signal?: AbortSignal): Promise<void> {
  const groups = words.filter((w) => !w.startsWith('-'));
  // Names of links seen so far, as ip keeps its own cache, for "@peer" and master names.
  const links = new Map<number, Link>((await nl.link.list()).map((l) => [l.index, l]));
  const linkOf = (i: number): Link | undefined => links.get(i);
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
  else out.line(`${ev.action === 'del' ? 'Deleted ' : ''}${f ? f.text(ev.object) : JSON.stringify(ev.object)}`);
}
