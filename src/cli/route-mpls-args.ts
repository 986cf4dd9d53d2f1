// `ip -f mpls route add|del|replace LABEL [as [to] LABELS] [via [inet|inet6] ADDR] [dev DEV] [nexthop ...]`
// (ip/iproute.c of iproute2 6.1 with an AF_MPLS route): the words of an MPLS
// route as a library input, attributes in the order of the words.
import type { NexthopInput, RouteInput } from '../rtnl/route-input.js';
import { UsageError, matches } from './args.js';
import { namedId, protocolNames, tableNames } from './ip-json/iproute2-names.js';

function labels(text: string | undefined): number[] {
  if (text === undefined) throw new UsageError('"as": command line is not complete. Try option "help"');
  return text.split('/').map((l) => {
    if (!/^\d+$/.test(l) || Number(l) > 0xfffff) throw new UsageError(`Error: an MPLS label is expected rather than "${text}".`);
    return Number(l);
  });
}

/** Reads one "via [FAMILY] ADDR", "as [to] LABELS", "dev NAME" or "weight N" at words[i]; the index after it, or undefined. */
function common(words: readonly string[], i: number, into: RouteInput | NexthopInput): number | undefined {
  const w = words[i];
  if (w === 'via') {
    let a = words[i + 1];
    let n = i + 2;
    if (a === 'inet' || a === 'inet6') { a = words[i + 2]; n++; }
    if (a === undefined) throw new UsageError('"via": command line is not complete. Try option "help"');
    into.gateway = a;
    return n;
  }
  if (w === 'as') {
    let n = i + 1;
    if (words[n] === 'to') n++;
    into.newdst = labels(words[n]);
    return n + 1;
  }
  if (w === 'dev' || w === 'oif') {
    const d = words[i + 1];
    if (d === undefined) throw new UsageError('"dev": command line is not complete. Try option "help"');
    into.dev = d;
    return i + 2;
  }
  return undefined;
}

export function parseMplsRoute(words: readonly string[]): RouteInput {
  const r: RouteInput = { family: 'mpls' };
  for (let i = 0; i < words.length;) {
    const w = words[i]!;
    const n = common(words, i, r);
    if (n !== undefined) { i = n; continue; }
    if (matches(w, 'protocol') || matches(w, 'table')) {
      const v = words[i + 1];
      const id = v === undefined ? undefined : namedId(matches(w, 'protocol') ? protocolNames : tableNames, v, matches(w, 'protocol') ? 255 : 0xffffffff);
      if (id === undefined) throw new UsageError(`"${w}" value is invalid: ${v}`);
      if (matches(w, 'protocol')) r.protocol = id; else r.table = id;
      i += 2;
    } else if (w === 'nexthop') {
      const hops: NexthopInput[] = [];
      while (words[i] === 'nexthop') {
        const nh: NexthopInput = {};
        i++;
        for (;;) {
          if (words[i] === 'weight') {
            const v = Number(words[i + 1]);
            if (!Number.isInteger(v) || v < 1 || v > 256) throw new UsageError(`"weight" is invalid: ${words[i + 1]}`);
            nh.weight = v;
            i += 2;
            continue;
          }
          const m = common(words, i, nh);
          if (m === undefined) break;
          i = m;
        }
        hops.push(nh);
      }
      if (i < words.length) throw new UsageError(`"nexthop" or end of line is expected instead of "${words[i]}"`);
      r.nexthops = hops;
    } else {
      const d = w === 'to' ? words[++i] : w;
      if (d === undefined || !/^\d+$/.test(d) || Number(d) > 0xfffff) throw new UsageError(`Error: an MPLS label is expected rather than "${d}".`);
      if (r.dst !== undefined) throw new UsageError(`duplicate "to": "${d}" is the second`);
      r.dst = Number(d);
      i++;
    }
  }
  if (r.dst === undefined) throw new UsageError('an MPLS route needs its incoming label');
  return r;
}
