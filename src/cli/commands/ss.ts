// `netlink-ts ss`: sockets as iproute2's ss lists them, through the sock_diag
// layer (src/diag). The text equals `ss -n` (iproute2 6.1) column for column;
// --json gives the same sockets as objects. The tables are read in ss's
// order: netlink, packet, UNIX, raw, UDP, TCP.
import { SockDiag } from '../../diag/client.js';
import type { DiagSocket } from '../../diag/types.js';
import { NetlinkError } from '../../netlink/errors.js';
import type { GlobalOptions } from '../args.js';
import { type Db, parseSsWords, type SsOptions } from '../ss/options.js';
import { CgroupPaths, socketUsers } from '../ss/procs.js';
import { type RowOptions, socketRow } from '../ss/rows.js';
import { Col, SsTable } from '../ss/table.js';
import { socketJson } from '../ss/json.js';
import { ssPlan } from '../ss/plan.js';
import { procRawSockets } from '../ss/proc-raw.js';

const UNIX_DB: Readonly<Record<string, Db>> = { stream: 'u_str', dgram: 'u_dgr', seqpacket: 'u_seq' };

function dbOf(s: DiagSocket): Db | undefined {
  switch (s.kind) {
    case 'unix': return UNIX_DB[s.type];
    case 'packet': return s.type === 'raw' ? 'p_raw' : 'p_dgr';
    case 'netlink': return 'nl';
    case 'inet': return s.protocol;
  }
}

export async function ssCommand(words: string[], global: GlobalOptions): Promise<number> {
  const o = parseSsWords(words, global.json, global.netns);
  if (o.dbs.size === 0) { process.stderr.write('ss: no socket tables to show with such filter.\n'); return 0; }
  if (o.families.size === 0) { process.stderr.write('ss: no families to show with such filter.\n'); return 0; }
  if (o.states === 0) { process.stderr.write('ss: no socket states to show with such filter.\n'); return 0; }
  using diag = SockDiag.open(o.netns !== undefined ? { netns: o.netns } : {});
  const names = new LinkNames(o.netns);
  const rowOpts = rowOptions(o, names);
  const out = (s: string): void => { process.stdout.write(s); };
  const disabled = new Set<Col>();
  if (o.dbs.size === 1) disabled.add(Col.Netid);
  if ((o.states & (o.states - 1)) === 0) disabled.add(Col.State);
  const table = o.json ? undefined : new SsTable(out, disabled, o.header);
  const json: unknown[] = [];
  let cannotKill: NetlinkError | undefined;
  const rows: DiagSocket[] = [];
  const emit = (s: DiagSocket): void => {
    if (table) table.add(socketRow(s, rowOpts));
    else json.push(socketJson(s, rowOpts));
  };
  // What ss prints of a socket read from /proc: its line and processes, no details.
  const plainOpts: RowOptions = { ...rowOpts, extended: false, memory: false, info: false, options: false };
  const emitPlain = (s: DiagSocket): void => {
    if (table) table.add(socketRow(s, plainOpts));
    else json.push(socketJson(s, plainOpts));
  };
  for (const { table: t, query } of ssPlan(o)) {
    // -K destroys through the same socket, which a dump in progress holds: it lists first. Otherwise each socket
    // is printed as its datagram is read (the table keeps only its text).
    let sockets: AsyncIterable<DiagSocket> | DiagSocket[];
    try {
      sockets = o.kill ? await diag.list(query) : diag.stream(query);
      for await (const s of sockets) {
        const db = dbOf(s);
        if (db === undefined || !o.dbs.has(db)) continue;
        if (o.kill && s.kind === 'inet') {
          try {
            await diag.destroy(s);
          } catch (err) {
            // As ss: a socket that cannot be closed (or is already gone) is not listed.
            if (err instanceof NetlinkError && (err.code === 'EOPNOTSUPP' || err.code === 'ENOENT')) {
              if (err.code === 'EOPNOTSUPP') cannotKill ??= err;
              continue;
            }
            throw err;
          }
        }
        if ((s.kind === 'inet' || s.kind === 'packet') && s.ifindex !== 0 && !names.loaded) rows.push(s);
        else if (rows.length > 0) rows.push(s);
        else emit(s);
      }
    } catch (err) {
      if (!(t.protocol === 'raw' && err instanceof NetlinkError && err.code === 'ENOENT')) throw err;
      // No raw_diag: ss reads /proc/net/raw{,6}, which show this process's own namespace only (docs/diag.md).
      if (o.netns === undefined) {
        const families = query.families ?? [4, 6];
        for (const s of procRawSockets(families, o.states, o.filter)) emitPlain(s);
      }
      continue;
    }
    // A socket bound to a device needs the device's name, read (once) when the dump is over.
    if (rows.length > 0) {
      await names.load();
      for (const s of rows.splice(0)) emit(s);
    }
  }
  table?.flush(true);
  if (!table) out(`${JSON.stringify(json, null, global.pretty ? 2 : undefined)}\n`);
  if (cannotKill) process.stderr.write(`netlink-ts: ss -K: ${cannotKill.message}\n`);
  return 0;
}

/** Interface names by index, read once from the namespace's links when a socket is bound to one. */
class LinkNames {
  private readonly names = new Map<number, string>();
  loaded = false;
  constructor(private readonly netns: string | undefined) {}

  async load(): Promise<void> {
    if (this.loaded) return;
    this.loaded = true;
    const { Rtnl } = await import('../../client.js');
    using nl = Rtnl.openSync(this.netns !== undefined ? { netns: this.netns } : {});
    for (const l of await nl.link.list()) if (l.name !== undefined) this.names.set(l.index, l.name);
  }

  /** ss's ll_index_to_name: "if" and the number for an index it does not know. */
  name(index: number): string {
    return this.names.get(index) ?? `if${index}`;
  }
}

function rowOptions(o: SsOptions, names: LinkNames): RowOptions {
  const cgroups = new CgroupPaths();
  return {
    processes: o.processes ? socketUsers() : undefined,
    info: o.info, memory: o.memory, extended: o.extended, options: o.options,
    ifname: (index) => names.name(index),
    cgroup: (id) => cgroups.path(id),
  };
}
