// `netlink-ts conntrack -L|-G|-D|-F|-E|-S|-C|-I|-U` with conntrack-tools'
// common options and its text output (src/cli/conntrack-text.ts); `-o json`
// or `--json` print the decoded entries as JSON instead. Takes the words as
// typed: conntrack's -s and -d are addresses here, not -stats and -details.
import { ConntrackApi, type ConntrackMonitorEvent } from '../../nfnetlink/conntrack/api.js';
import type { ConntrackInput, ConntrackTupleInput } from '../../nfnetlink/conntrack/entry.js';
import type { ConntrackListFilter } from '../../nfnetlink/conntrack/filter.js';
import type { ConntrackGroup } from '../../nfnetlink/conntrack/events.js';
import { type GlobalOptions, UsageError } from '../args.js';
import { conntrackEventLine, conntrackLine, cpuStatsLine } from '../conntrack-text.js';
import { OBJECTS } from '../help.js';
import type { Output } from '../output.js';

const USAGE = OBJECTS.find((o) => o.names[0] === 'conntrack')!.usage;

const COMMANDS: Record<string, Cmd> = {
  '-L': 'L', '--dump': 'L', '-G': 'G', '--get': 'G', '-D': 'D', '--delete': 'D', '-F': 'F', '--flush': 'F',
  '-E': 'E', '--event': 'E', '-S': 'S', '--stats': 'S', '-C': 'C', '--count': 'C', '-I': 'I', '--create': 'I',
  '-U': 'U', '--update': 'U',
};
type Cmd = 'L' | 'G' | 'D' | 'F' | 'E' | 'S' | 'C' | 'I' | 'U';

export interface ConntrackArgs {
  cmd: Cmd;
  table: 'conntrack' | 'expect';
  filter: ConntrackListFilter;
  replySport?: number;
  replyDport?: number;
  icmp?: { type?: number; code?: number; id?: number };
  timeout?: number;
  state?: string;
  status?: string[];
  events?: ConntrackGroup[];
  json: boolean;
  extended: boolean;
}

const VALUE_OPTS: Record<string, string> = {
  '-p': 'protocol', '--proto': 'protocol', '--protonum': 'protocol',
  '-s': 'src', '--src': 'src', '--orig-src': 'src', '-d': 'dst', '--dst': 'dst', '--orig-dst': 'dst',
  '-r': 'replySrc', '--reply-src': 'replySrc', '-q': 'replyDst', '--reply-dst': 'replyDst',
  '--sport': 'sport', '--orig-port-src': 'sport', '--dport': 'dport', '--orig-port-dst': 'dport',
  '--reply-port-src': 'replySport', '--reply-port-dst': 'replyDport',
  '-m': 'mark', '--mark': 'mark', '-w': 'zone', '--zone': 'zone', '-f': 'family', '--family': 'family',
  '-u': 'status', '--status': 'status', '-t': 'timeout', '--timeout': 'timeout', '--state': 'state',
  '--icmp-type': 'icmpType', '--icmp-code': 'icmpCode', '--icmp-id': 'icmpId', '-e': 'events', '--event-mask': 'events',
  '-o': 'output', '--output': 'output',
};

function num(word: string, v: string, max: number): number {
  const n = /^(0x[0-9a-f]+|\d+)$/i.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > max) throw new UsageError(`conntrack: ${word} takes a number from 0 to ${max}, not "${v}"`);
  return n;
}

export function parseConntrackWords(words: readonly string[], opts: GlobalOptions): ConntrackArgs {
  let cmd: Cmd | undefined;
  const a: ConntrackArgs = { cmd: 'L', table: 'conntrack', filter: {}, json: opts.json, extended: false };
  const f = a.filter;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (Object.hasOwn(COMMANDS, w)) {
      if (cmd) throw new UsageError(`conntrack: give one command, not ${w} after -${cmd}`);
      cmd = COMMANDS[w];
      const next = words[i + 1];
      if (next === 'conntrack' || next === 'expect') { a.table = next; i++; }
      continue;
    }
    if (w === '--json' || w === '-j') { a.json = true; continue; }
    if (!Object.hasOwn(VALUE_OPTS, w)) throw new UsageError(`conntrack: unknown option "${w}"\n${USAGE}`);
    const v = words[++i];
    if (v === undefined) throw new UsageError(`conntrack: ${w} needs a value`);
    switch (VALUE_OPTS[w]) {
      case 'protocol': f.protocol = /^\d+$/.test(v) ? num(w, v, 255) : v as never; break;
      case 'src': f.src = v; break;
      case 'dst': f.dst = v; break;
      case 'replySrc': f.replySrc = v; break;
      case 'replyDst': f.replyDst = v; break;
      case 'sport': f.sport = num(w, v, 0xffff); break;
      case 'dport': f.dport = num(w, v, 0xffff); break;
      case 'replySport': a.replySport = num(w, v, 0xffff); break;
      case 'replyDport': a.replyDport = num(w, v, 0xffff); break;
      case 'mark': {
        const [m, mask] = v.split('/');
        f.mark = num(w, m!, 0xffffffff);
        if (mask !== undefined) f.markMask = num(w, mask, 0xffffffff);
        break;
      }
      case 'zone': f.zone = num(w, v, 0xffff); break;
      case 'family':
        if (v !== 'ipv4' && v !== 'ipv6') throw new UsageError(`conntrack: ${w} takes ipv4 or ipv6, not "${v}"`);
        f.family = v;
        break;
      case 'status': a.status = v.split(',').map((s) => s.trim().toUpperCase()); break;
      case 'timeout': a.timeout = num(w, v, 0xffffffff); break;
      case 'state': a.state = v.toUpperCase(); break;
      case 'icmpType': (a.icmp ??= {}).type = num(w, v, 255); break;
      case 'icmpCode': (a.icmp ??= {}).code = num(w, v, 255); break;
      case 'icmpId': (a.icmp ??= {}).id = num(w, v, 0xffff); break;
      case 'events': {
        const names = v.toLowerCase().split(',');
        for (const n of names) if (n !== 'new' && n !== 'update' && n !== 'destroy' && n !== 'all') throw new UsageError(`conntrack: ${w} takes NEW, UPDATE, DESTROY or ALL, not "${n}"`);
        a.events = names.includes('all') ? [] : names as ConntrackGroup[];
        break;
      }
      case 'output':
        for (const o of v.split(',')) {
          if (o === 'json') a.json = true;
          else if (o === 'extended') a.extended = true;
          else throw new UsageError(`conntrack: -o takes json or extended here, not "${o}"`);
        }
        break;
    }
  }
  if (!cmd) throw new UsageError(`conntrack: give a command (-L, -G, -D, -F, -E, -S, -C, -I, -U)\n${USAGE}`);
  a.cmd = cmd;
  if (a.status && cmd !== 'I') f.status = a.status;
  return a;
}

/** The original tuple the options give (-G, -I), with the protocol, addresses and, for tcp/udp, ports required. */
function tupleOf(a: ConntrackArgs): ConntrackTupleInput {
  const f = a.filter;
  if (f.protocol === undefined || f.src === undefined || f.dst === undefined) throw new UsageError(`conntrack -${a.cmd} needs -p PROTO, -s SRC and -d DST`);
  const t: ConntrackTupleInput = { src: f.src, dst: f.dst, protocol: f.protocol };
  if (f.sport !== undefined) t.sport = f.sport;
  if (f.dport !== undefined) t.dport = f.dport;
  if (a.icmp) t.icmp = a.icmp;
  return t;
}

function entryOf(a: ConntrackArgs): ConntrackInput {
  const orig = tupleOf(a);
  const input: ConntrackInput = { orig };
  const f = a.filter;
  if (f.replySrc !== undefined || f.replyDst !== undefined || a.replySport !== undefined || a.replyDport !== undefined) {
    const reply: ConntrackTupleInput = { src: f.replySrc ?? orig.dst, dst: f.replyDst ?? orig.src, protocol: orig.protocol };
    const sport = a.replySport ?? orig.dport;
    const dport = a.replyDport ?? orig.sport;
    if (sport !== undefined) reply.sport = sport;
    if (dport !== undefined) reply.dport = dport;
    input.reply = reply;
  }
  if (f.zone !== undefined) input.zone = f.zone;
  return input;
}

const summary = (n: number, what: string): void => { process.stderr.write(`netlink-ts conntrack: ${n} flow entries ${what}.\n`); };

export async function conntrackCommand(words: string[], opts: GlobalOptions, out: Output, signal?: AbortSignal): Promise<number> {
  if (!words.length) throw new UsageError(USAGE);
  const a = parseConntrackWords(words, opts);
  using ct = ConntrackApi.open(opts.netns !== undefined ? { netns: opts.netns } : {});
  const line = (x: Parameters<typeof conntrackLine>[0]): string => conntrackLine(x, { extended: a.extended });
  switch (a.cmd) {
    case 'L': {
      if (a.table === 'expect') {
        const exps = await ct.expectations();
        if (a.json) out.json(exps);
        else for (const e of exps) out.line(`${e.timeout ?? 0} proto=${e.tuple.protocol} src=${e.tuple.src} dst=${e.tuple.dst} sport=${e.tuple.sport ?? 0} dport=${e.tuple.dport ?? 0} mask-src=${e.mask.src} mask-dst=${e.mask.dst} sport=${e.mask.sport ?? 0} dport=${e.mask.dport ?? 0} master-src=${e.master.src} master-dst=${e.master.dst} sport=${e.master.sport ?? 0} dport=${e.master.dport ?? 0}${e.helper ? ` helper=${e.helper}` : ''}`);
        process.stderr.write(`netlink-ts conntrack: ${exps.length} expectations have been shown.\n`);
        return 0;
      }
      const rows = out.rows(a.json);
      let n = 0;
      for await (const x of ct.stream(a.filter)) { rows.add(a.json ? x : line(x)); n++; }
      rows.end();
      summary(n, 'have been shown');
      return 0;
    }
    case 'G': {
      const x = await ct.get(entryOf(a));
      if (a.json) out.json(x);
      else out.line(line(x));
      summary(1, 'have been shown');
      return 0;
    }
    case 'D': {
      const r = await ct.deleteMatching(a.filter);
      if (a.json) out.json(r.entries);
      else for (const x of r.entries) out.line(line(x));
      summary(r.deleted, 'have been deleted');
      return 0;
    }
    case 'F': {
      const { family, mark, markMask, zone } = a.filter;
      await ct.flush({ family, mark, markMask, zone });
      process.stderr.write('netlink-ts conntrack: connection tracking table has been emptied.\n');
      return 0;
    }
    case 'S': {
      const stats = await ct.stats();
      if (a.json) out.json(stats);
      else for (const s of stats) out.line(cpuStatsLine(s));
      return 0;
    }
    case 'C': {
      const c = await ct.count();
      out.line(a.json ? JSON.stringify(c) : String(c.entries));
      return 0;
    }
    case 'I': {
      const input = entryOf(a);
      if (a.timeout !== undefined) input.timeout = a.timeout;
      if (a.state !== undefined) input.tcpState = a.state;
      if (a.status !== undefined) input.status = a.status;
      if (a.filter.mark !== undefined) input.mark = a.filter.mark;
      await ct.create(input);
      summary(1, 'have been created');
      return 0;
    }
    case 'U': {
      // conntrack -U: -m is the new mark (value/mask: the masked bits replaced), the other options select.
      const { mark, markMask, ...select } = a.filter;
      if (mark === undefined) throw new UsageError('conntrack -U needs -m MARK[/MASK], the mark to set');
      const entries = await ct.list(select);
      const mask = markMask ?? 0xffffffff;
      for (const x of entries) {
        const next = (((x.mark ?? 0) & ~mask) | (mark & mask)) >>> 0;
        await ct.update({ orig: { src: x.orig.src, dst: x.orig.dst, protocol: x.protocol, sport: x.orig.sport, dport: x.orig.dport, icmp: x.orig.icmp }, zone: x.zone, mark: next });
        out.line(a.json ? JSON.stringify({ ...x, mark: next }) : line({ ...x, mark: next }));
      }
      summary(entries.length, 'have been updated');
      return 0;
    }
    case 'E': {
      const { compileFilter } = await import('../../nfnetlink/conntrack/filter.js');
      const keep = compileFilter(a.filter).keep;
      const mon = ct.monitor({ groups: a.events ?? [], signal });
      for await (const ev of mon as AsyncIterable<ConntrackMonitorEvent>) {
        if (ev.kind === 'overrun') { process.stderr.write(`netlink-ts conntrack: events lost (${ev.error.message})\n`); continue; }
        if (ev.kind !== 'conntrack' || !keep(ev.object)) continue;
        out.line(a.json ? JSON.stringify({ event: ev.action === 'del' ? 'destroy' : ev.action, ...ev.object }) : conntrackEventLine(ev.action, ev.object));
      }
      return 0;
    }
  }
}
