// The names iproute2 prints and accepts for routing numbers: its built-in
// tables plus /etc/iproute2/{rt_tables,rt_protos,rt_scopes,rt_realms,rt_dsfield}
// (and the .d directories it reads), so our output names what `ip` names.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { routeProtocols, routeTables, scopes } from '../../route/names.js';

const DIRS = ['/etc/iproute2', '/usr/share/iproute2'];

/** id → name from one iproute2 database file (`ID NAME` lines, ids decimal or 0x hex); the first directory that has it. */
function readDb(file: string, withDir: boolean): Map<number, string> {
  const out = new Map<number, string>();
  for (const dir of DIRS) {
    const paths: string[] = [];
    try { readFileSync(join(dir, file)); paths.push(join(dir, file)); } catch { /* not here */ }
    if (withDir) {
      try {
        for (const f of readdirSync(join(dir, `${file}.d`)).sort()) if (f.endsWith('.conf') && f.length > 5) paths.push(join(dir, `${file}.d`, f));
      } catch { /* no directory */ }
    }
    if (!paths.length) continue;
    for (const p of paths) {
      for (const line of readFileSync(p, 'utf8').split('\n')) {
        const m = /^\s*(0x[0-9a-f]+|\d+)\s+(\S+)/i.exec(line);
        if (m) out.set(Number(m[1]), m[2]!);
      }
    }
    break;
  }
  return out;
}

export interface NameDb {
  name(id: number): string | undefined;
  id(name: string): number | undefined;
}

function db(builtin: [number, string][], file: string, withDir: boolean): NameDb {
  let merged: Map<number, string> | undefined;
  const load = (): Map<number, string> => (merged ??= new Map([...builtin, ...readDb(file, withDir)]));
  return {
    name: (id) => load().get(id),
    id(name) {
      for (const [k, v] of load()) if (v === name) return k;
      return undefined;
    },
  };
}

function named<I>(map: { encode(v: I, path: string): number }, names: readonly (I & string)[]): [number, string][] {
  return names.map((n) => [map.encode(n, n), n]);
}

/** iproute2's built-in protocol names (lib/rt_names.c); the database files add the rest. */
export const rtProtos = db(named(routeProtocols, ['unspec', 'redirect', 'kernel', 'boot', 'static', 'gated', 'ra', 'mrt',
  'zebra', 'bird', 'babel', 'dnrouted', 'xorp', 'ntk', 'dhcp', 'keepalived', 'bgp', 'isis', 'ospf', 'rip', 'eigrp']), 'rt_protos', true);
export const rtScopes = db(named(scopes, ['global', 'nowhere', 'host', 'link', 'site']), 'rt_scopes', false);
export const rtTables = db(named(routeTables, ['default', 'main', 'local']), 'rt_tables', true);
export const rtRealms = db([[0, 'unknown']], 'rt_realms', false);
export const rtDsfield = db([], 'rt_dsfield', false);

/** A number or a name from the database, as `rtnl_*_a2n` reads it; undefined if neither. */
export function parseNamed(d: NameDb, word: string, max: number): number | undefined {
  const byName = d.id(word);
  if (byName !== undefined) return byName;
  if (!/^(0x[0-9a-f]+|0[0-7]*|[1-9]\d*)$/i.test(word)) return undefined;
  const n = word.startsWith('0x') || word.startsWith('0X') ? parseInt(word, 16) : /^0\d/.test(word) ? parseInt(word, 8) : Number(word);
  return n <= max ? n : undefined;
}

/** How iproute2 prints a number it has no name for: decimal, except dsfield (hex). */
export const nameOf = (d: NameDb, id: number): string => d.name(id) ?? String(id);
export const dsfieldName = (id: number): string => rtDsfield.name(id) ?? `0x${id.toString(16).padStart(2, '0')}`;
