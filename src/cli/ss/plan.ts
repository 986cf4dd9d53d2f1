// Which library queries `ss` words make, one per socket table, in ss's
// order (netlink, packet, UNIX, raw, UDP, TCP): what the command runs and
// what the fixture tests compare with iproute2's bytes.
import type { SocketListFilter } from '../../diag/query.js';
import type { DiagProtocol } from '../../diag/types.js';
import type { Db, SsOptions } from './options.js';

export interface Table { protocol: DiagProtocol; dbs: readonly Db[] }

const TABLES: readonly Table[] = [
  { protocol: 'netlink', dbs: ['nl'] },
  { protocol: 'packet', dbs: ['p_raw', 'p_dgr'] },
  { protocol: 'unix', dbs: ['u_str', 'u_dgr', 'u_seq'] },
  { protocol: 'raw', dbs: ['raw'] },
  { protocol: 'udp', dbs: ['udp'] },
  { protocol: 'tcp', dbs: ['tcp'] },
];


export function ssPlan(o: SsOptions): { table: Table; query: SocketListFilter }[] {
  const families = [...(o.families.has('inet') ? [4 as const] : []), ...(o.families.has('inet6') ? [6 as const] : [])];
  const out: { table: Table; query: SocketListFilter }[] = [];
  for (const t of TABLES) {
    if (!t.dbs.some((d) => o.dbs.has(d))) continue;
    const inet = t.protocol === 'tcp' || t.protocol === 'udp' || t.protocol === 'raw';
    if (inet && families.length === 0) continue;
    out.push({ table: t, query: {
      protocols: [t.protocol], states: o.states, extensions: { info: o.info, memory: o.memory, details: o.extended },
      ...(o.filter ? { filter: o.filter } : {}), ...(inet ? { families } : {}),
    } });
  }
  return out;
}
