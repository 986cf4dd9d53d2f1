// `netlink-ts bridge fdb|link|vlan|monitor ...`: iproute2's `bridge` command
// words and its text and -j output (docs/bridge.md).
//   bridge fdb add 02:00:00:00:00:01 dev veth0 master vlan 10
//   bridge link set dev veth0 learning off isolated on
//   bridge vlan add dev veth0 vid 10 pvid untagged
import type { BridgePortInput, BridgeVlanInput, FdbInput, FdbListFilter, FdbVerb, MdbInput } from '../../api/bridge.js';
import { mdbEventRows, mdbRow } from '../bridge-json/mdb.js';
import type { Rtnl } from '../../client.js';
import { type GlobalOptions, UsageError, matches } from '../args.js';
import type { Output } from '../output.js';
import { Words, num, onOff } from '../../rtnl/words.js';
import { fdbRow } from '../bridge-json/fdb.js';
import { TUNNEL_HEADING, VLAN_HEADING, bridgeLinkRow, tunnelRows, vlanRows } from '../bridge-json/link.js';

type Mutable<T> = { -readonly [K in keyof T]?: T[K] };

/** bridge's fdb_modify words. */
export function parseFdbModify(words: readonly string[]): FdbInput {
  const w = new Words(words, 'bridge fdb');
  const f: Mutable<FdbInput> = {};
  let lladdr: string | undefined;
  while (!w.done) {
    const k = w.next();
    if (k === 'dev') f.dev = w.value(k);
    else if (k === 'dst') { if (f.dst !== undefined) w.fail(`duplicate "dst": "${w.value(k)}" is the second value`); f.dst = w.value(k); }
    else if (k === 'nhid') f.nhid = num(w.value(k), '"id" value');
    else if (k === 'port') f.port = num(w.value(k), 'port', 'u16');
    else if (k === 'vni') f.vni = vni(w.value(k), 'VNI');
    else if (k === 'src_vni') f.srcVni = vni(w.value(k), 'src VNI');
    else if (k === 'via') f.via = w.value(k);
    else if (k === 'self') f.self = true;
    else if (matches(k, 'master')) f.master = true;
    else if (matches(k, 'router')) f.router = true;
    else if (matches(k, 'local') || matches(k, 'permanent')) f.state = f.state === undefined || f.state === 'permanent' ? 'permanent' : f.state;
    else if (matches(k, 'temp') || matches(k, 'static')) f.state = f.state === 'permanent' ? 'permanent' : 'static';
    else if (matches(k, 'dynamic')) f.state = f.state === 'permanent' ? 'permanent' : 'dynamic';
    else if (matches(k, 'vlan')) { if (f.vlan !== undefined) w.fail('duplicate "vlan"'); f.vlan = num(w.value(k), 'vlan', 'u16'); }
    else if (matches(k, 'use')) f.use = true;
    else if (matches(k, 'extern_learn')) f.externLearn = true;
    else if (matches(k, 'sticky')) f.sticky = true;
    else {
      const a = k === 'to' ? w.value(k) : k;
      if (lladdr !== undefined) w.fail(`duplicate "to": "${a}" is the second address`);
      lladdr = a;
    }
  }
  if (f.dev === undefined || lladdr === undefined) throw new UsageError('Device and address are required arguments.', 1);
  return { ...f, lladdr } as FdbInput;
}

function vni(word: string, what: string): number {
  const n = num(word, what);
  if (n >> 24) throw new UsageError(`invalid ${what} "${word}"`);
  return n;
}

export function parseFdbShow(words: readonly string[]): FdbListFilter {
  const w = new Words(words, 'bridge fdb show');
  const f: Mutable<FdbListFilter> = {};
  while (!w.done) {
    const k = w.next();
    if (k === 'brport' || k === 'dev') f.dev = w.value(k);
    else if (k === 'br') f.br = w.value(k);
    else if (k === 'vlan') f.vlan = num(w.value(k), 'vlan', 'u16');
    else if (k === 'state') {
      const s = w.value(k);
      f.state = matches(s, 'permanent') ? 'permanent' : matches(s, 'static') || matches(s, 'temp') ? 'static' : matches(s, 'stale') ? 'stale'
        : matches(s, 'reachable') || matches(s, 'dynamic') ? 'dynamic' : w.fail(`invalid state "${s}"`);
    } else if (k === 'dynamic') f.state = 'dynamic';
  }
  return f;
}

const STP = ['disabled', 'listening', 'learning', 'forwarding', 'blocking'] as const;
const ON_OFF: Record<string, keyof BridgePortInput> = {
  guard: 'guard', hairpin: 'hairpin', fastleave: 'fastLeave', root_block: 'rootBlock', learning: 'learning', learning_sync: 'learningSync',
  flood: 'unicastFlood', mcast_flood: 'mcastFlood', bcast_flood: 'bcastFlood', mcast_to_unicast: 'mcastToUcast',
  neigh_suppress: 'neighSuppress', vlan_tunnel: 'vlanTunnel', isolated: 'isolated', locked: 'locked',
};

/** bridge's brlink_modify words; backup_port stays a name for the caller to resolve. */
export function parseLinkSet(words: readonly string[]): { dev: string; port: BridgePortInput; backupPort?: string | 0 } {
  const w = new Words(words, 'bridge link set');
  const p: Record<string, unknown> = {};
  let dev: string | undefined;
  let backupPort: string | 0 | undefined;
  while (!w.done) {
    const k = w.next();
    if (k === 'dev') dev = w.value(k);
    else if (Object.hasOwn(ON_OFF, k)) p[ON_OFF[k]!] = onOff(w.value(k), k);
    else if (k === 'mcast_router') p.multicastRouter = num(w.value(k), 'mcast_router', 'u8');
    else if (k === 'cost') { const c = num(w.value(k), 'cost'); if (c > 0) p.cost = c; }
    else if (k === 'priority') p.priority = num(w.value(k), 'priority', 'u16');
    else if (k === 'state') {
      const s = w.value(k);
      const n = /^\d+$/.test(s) ? Number(s) : STP.indexOf(s as (typeof STP)[number]);
      if (n < 0 || n > 255) throw new UsageError('Error: invalid STP port state', 1);
      p.state = n <= 4 ? STP[n] : n;
    } else if (k === 'hwmode') {
      const m = w.value(k);
      if (m !== 'vepa' && m !== 'veb') throw new UsageError('Mode argument must be "vepa" or "veb".', 1);
      p.hwmode = m;
    } else if (k === 'self') p.self = true;
    else if (k === 'master') p.master = true;
    else if (k === 'backup_port') backupPort = w.value(k);
    else if (k === 'nobackup_port') backupPort = 0;
    else w.fail(`unknown word "${k}"`);
  }
  if (dev === undefined) throw new UsageError('Device is a required argument.', 1);
  return { dev, port: p as BridgePortInput, ...(backupPort === undefined ? {} : { backupPort }) };
}

/** bridge's vlan_modify words. */
export function parseVlanModify(words: readonly string[]): BridgeVlanInput {
  const w = new Words(words, 'bridge vlan');
  const v: Mutable<BridgeVlanInput> = {};
  while (!w.done) {
    const k = w.next();
    if (k === 'dev') v.dev = w.value(k);
    else if (k === 'vid') {
      const [a, b] = w.value(k).split('-');
      v.vid = num(a!, 'VLAN ID', 'u16');
      if (b !== undefined) v.vidEnd = num(b, 'VLAN ID', 'u16');
    } else if (k === 'self') v.self = true;
    else if (k === 'master') v.master = true;
    else if (k === 'pvid') v.pvid = true;
    else if (k === 'untagged') v.untagged = true;
    else if (k === 'tunnel_info') {
      if (!w.accept('id', true)) w.fail('tunnel_info needs "id ID[-ID]"');
      const [a, b] = w.value('id').split('-');
      v.tunnelId = num(a!, 'tunnel id');
      if (b !== undefined) v.tunnelIdEnd = num(b, 'tunnel id');
    } else w.fail(`unknown word "${k}"`);
  }
  if (v.dev === undefined || v.vid === undefined) throw new UsageError('Device and VLAN ID are required arguments.', 1);
  return v as BridgeVlanInput;
}

async function names(nl: Rtnl): Promise<{ name(i: number): string; down(i: number): boolean }> {
  const links = await nl.link.list();
  const byIndex = new Map(links.map((l) => [l.index, l]));
  return {
    name: (i) => byIndex.get(i)?.name ?? `if${i}`,
    down: (i) => !(byIndex.get(i)?.flags.includes('up') ?? true),
  };
}

function devFilter(words: readonly string[], context: string): { dev?: string; vid?: number } {
  const w = new Words(words, context);
  const out: { dev?: string; vid?: number } = {};
  while (!w.done) {
    const k = w.next();
    if (k === 'dev') out.dev = w.value(k);
    else if (k === 'vid') out.vid = num(w.value(k), 'vid', 'u16');
  }
  return out;
}

function print(rows: { text: string; json: unknown }[], opts: GlobalOptions, out: Output, heading?: string): void {
  if (opts.json) { out.json(rows.map((r) => r.json)); return; }
  if (heading !== undefined) out.line(heading);
  for (const r of rows) out.line(r.text);
}

const isShow = (v: string): boolean => matches(v, 'show') || matches(v, 'list') || matches(v, 'lst');

async function fdbCommand(nl: Rtnl, words: string[], opts: GlobalOptions, out: Output): Promise<void> {
  const verb = words[0] ?? 'show';
  if (isShow(verb)) {
    const filter = parseFdbShow(words.slice(1));
    const [entries, n] = await Promise.all([nl.bridge.fdb.list(filter), names(nl)]);
    const ctx = { name: n.name, oneDev: filter.dev !== undefined, stats: opts.stats, hz: 100 };
    print(entries.map((e) => fdbRow(e, ctx)), opts, out);
    return;
  }
  const v: FdbVerb | undefined = matches(verb, 'add') ? 'add' : matches(verb, 'append') ? 'append' : matches(verb, 'replace') ? 'replace' : matches(verb, 'delete') ? 'delete' : undefined;
  if (!v) throw new UsageError(`Command "${verb}" is unknown, try "netlink-ts bridge fdb help".`);
  await nl.bridge.fdb[v](parseFdbModify(words.slice(1)));
}

async function linkCommand(nl: Rtnl, words: string[], opts: GlobalOptions, out: Output): Promise<void> {
  const verb = words[0] ?? 'show';
  if (isShow(verb)) {
    const { dev } = devFilter(words.slice(1), 'bridge link show');
    const [links, n] = await Promise.all([nl.bridge.link.list(), names(nl)]);
    const index = dev === undefined ? undefined : await nl.ifindex(dev);
    // bridge lists what an AF_BRIDGE dump returns: ports and bridges (master set or protinfo present).
    const rows = links.filter((l) => index === undefined || l.index === index).map((l) => bridgeLinkRow(l, { ...n, details: opts.details }));
    print(rows, opts, out);
    return;
  }
  if (!matches(verb, 'set') && !matches(verb, 'change')) throw new UsageError(`Command "${verb}" is unknown, try "netlink-ts bridge link help".`);
  const { dev, port, backupPort } = parseLinkSet(words.slice(1));
  const input: BridgePortInput = { ...port };
  if (backupPort !== undefined) (input as Record<string, unknown>).backupPort = backupPort === 0 ? 0 : await nl.ifindex(backupPort);
  await nl.bridge.link.set(dev, input);
}

async function vlanCommand(nl: Rtnl, words: string[], opts: GlobalOptions, out: Output): Promise<void> {
  const verb = words[0] ?? 'show';
  if (isShow(verb) || verb === 'tunnelshow') {
    const tunnels = verb === 'tunnelshow';
    const { dev, vid } = devFilter(words.slice(1), `bridge vlan ${verb}`);
    const [links, n] = await Promise.all([nl.bridge.vlan.list(), names(nl)]);
    const index = dev === undefined ? undefined : await nl.ifindex(dev);
    const rows = links.filter((l) => index === undefined || l.index === index)
      .map((l) => (tunnels ? tunnelRows(l, n, vid) : vlanRows(l, n, vid))).filter((r) => r !== undefined);
    print(rows, opts, out, tunnels ? TUNNEL_HEADING : VLAN_HEADING);
    return;
  }
  const v = matches(verb, 'add') ? 'add' : matches(verb, 'delete') ? 'delete' : undefined;
  if (!v) throw new UsageError(`Command "${verb}" is unknown, try "netlink-ts bridge vlan help".`);
  await nl.bridge.vlan[v](parseVlanModify(words.slice(1)));
}

/** bridge's mdb_modify words. */
export function parseMdbModify(words: readonly string[]): MdbInput {
  const w = new Words(words, 'bridge mdb');
  const m: Mutable<MdbInput> = {};
  while (!w.done) {
    const k = w.next();
    if (k === 'dev') m.dev = w.value(k);
    else if (k === 'grp') m.grp = w.value(k);
    else if (k === 'port') m.port = w.value(k);
    else if (k === 'permanent') m.permanent = true;
    else if (k === 'temp') { /* the default */ }
    else if (k === 'vid') m.vid = num(w.value(k), 'vid', 'u16');
    else if (k === 'src') w.fail('"src" (source-specific entries) is not supported by this version');
  }
  if (m.dev === undefined || m.grp === undefined || m.port === undefined) throw new UsageError('Device, group address and port name are required arguments.', 1);
  return m as MdbInput;
}

async function mdbCommand(nl: Rtnl, words: string[], opts: GlobalOptions, out: Output): Promise<void> {
  const verb = words[0] ?? 'show';
  if (isShow(verb)) {
    const { dev, vid } = devFilter(words.slice(1), 'bridge mdb show');
    const [entries, n] = await Promise.all([nl.bridge.mdb.list({ dev, vid }), names(nl)]);
    const rows = entries.map((e) => mdbRow(e, { name: n.name, stats: opts.stats }));
    // bridge -j prints one object: the entries, then the router ports (those only with -d; not modelled here).
    if (opts.json) out.json([{ mdb: rows.map((r) => r.json), router: {} }]);
    else for (const r of rows) out.line(r.text);
    return;
  }
  const v = matches(verb, 'add') ? 'add' : matches(verb, 'delete') ? 'delete' : undefined;
  if (!v) throw new UsageError(`Command "${verb}" is unknown, try "netlink-ts bridge mdb help".`);
  await nl.bridge.mdb[v](parseMdbModify(words.slice(1)));
}

/**
 * `bridge monitor [fdb] [mdb] [all]`: FDB entries (neighbour events of
 * family bridge) and MDB memberships, through the library's monitor; one
 * line per entry, "Deleted " before a removal, as bridge monitor prints them.
 */
async function monitorCommand(nl: Rtnl, words: string[], opts: GlobalOptions, out: Output, signal?: AbortSignal): Promise<void> {
  const wanted = new Set<string>();
  for (const w of words) {
    if (w === 'all') { wanted.add('fdb'); wanted.add('mdb'); } else if (matches(w, 'fdb') || matches(w, 'mdb')) wanted.add(matches(w, 'fdb') ? 'fdb' : 'mdb');
    else throw new UsageError(`bridge monitor: "${w}" is not supported (fdb, mdb, all); link and vlan events are not implemented`);
  }
  if (wanted.size === 0) { wanted.add('fdb'); wanted.add('mdb'); }
  const n = await names(nl);
  const groups = [...wanted].map((w) => (w === 'fdb' ? 'neigh' as const : 'mdb' as const));
  const write = (rows: { text: string; json: Record<string, unknown> }[], deleted: boolean): void => {
    for (const r of rows) {
      if (opts.json) out.line(JSON.stringify(deleted ? { deleted: true, ...r.json } : r.json));
      else out.line(`${deleted && !r.text.startsWith('Deleted ') ? 'Deleted ' : ''}${r.text}`);
    }
  };
  for await (const ev of nl.monitor({ groups, signal })) {
    if (ev.action !== 'new' && ev.action !== 'del') continue;
    if (ev.kind === 'neigh' && ev.object.family === 'bridge') write([fdbRow(ev.object, { name: n.name, oneDev: false, stats: false, hz: 100 })], ev.action === 'del');
    else if (ev.kind === 'mdb') write(mdbEventRows(ev.object, n.name), ev.action === 'del');
  }
}

export async function bridgeCommand(nl: Rtnl, words: string[], opts: GlobalOptions, out: Output): Promise<void> {
  const [object, ...rest] = words;
  if (object === undefined) throw new UsageError('bridge: which object? (fdb, link, vlan, mdb)');
  if (matches(object, 'fdb')) return fdbCommand(nl, rest, opts, out);
  if (matches(object, 'link')) return linkCommand(nl, rest, opts, out);
  if (matches(object, 'vlan')) return vlanCommand(nl, rest, opts, out);
  if (matches(object, 'mdb')) return mdbCommand(nl, rest, opts, out);
  if (matches(object, 'monitor')) {
    const ac = new AbortController();
    process.once('SIGINT', () => ac.abort());
    process.once('SIGTERM', () => ac.abort());
    return monitorCommand(nl, rest, opts, out, ac.signal);
  }
  throw new UsageError(`Object "${object}" is unknown, try "netlink-ts bridge help".`);
}
