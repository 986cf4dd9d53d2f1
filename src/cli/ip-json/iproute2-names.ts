// iproute2's name databases (/etc/iproute2/rt_tables, rt_protos, rt_realms,
// rt_dsfield, group and their .d directories), read the way iproute2 reads
// them, so the names we print and accept are the names `ip` prints and
// accepts on this machine. Each file is read once, on first use.
import { parseUnsigned } from '../../rtnl/words.js';
import { readFileSync, readdirSync } from 'node:fs';
import { ipProtocols } from '../../nft/protocols.js';

const CONFDIR = '/etc/iproute2';

export interface NameDb {
  /** The name of an id, or the id as iproute2 prints it when it has none. */
  name(id: number): string;
  /** The id of a name; undefined when the name is unknown. */
  id(name: string): number | undefined;
}

/** Lines of "ID NAME" (ID decimal or 0x hex), '#' comments. */
function readInto(map: Map<number, string>, path: string): void {
  let text: string;
  try { text = readFileSync(path, 'utf8'); } catch { return; }
  for (const raw of text.split('\n')) {
    const line = raw.trimStart();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(0x[0-9a-fA-F]+|-?\d+)\s+(\S+)/.exec(line);
    if (!m) return; // iproute2 stops at a corrupt line
    const id = m[1]!.startsWith('0x') ? parseInt(m[1]!, 16) : Number(m[1]);
    if (id >= 0) map.set(id, m[2]!);
  }
}

function db(file: string, builtin: Record<number, string>, opts: { dir?: boolean; fallback?: (id: number) => string } = {}): NameDb {
  let map: Map<number, string> | undefined;
  const load = (): Map<number, string> => {
    if (map) return map;
    map = new Map(Object.entries(builtin).map(([k, v]) => [Number(k), v]));
    readInto(map, `${CONFDIR}/${file}`);
    if (opts.dir) {
      let names: string[] = [];
      try { names = readdirSync(`${CONFDIR}/${file}.d`); } catch { /* none */ }
      for (const n of names.sort()) if (!n.startsWith('.') && n.length > 5 && n.endsWith('.conf')) readInto(map, `${CONFDIR}/${file}.d/${n}`);
    }
    return map;
  };
  return {
    name: (id) => load().get(id) ?? (opts.fallback ? opts.fallback(id) : String(id)),
    id(name) {
      for (const [k, v] of load()) if (v === name) return k;
      return undefined;
    },
  };
}

export const tableNames = db('rt_tables', { 253: 'default', 254: 'main', 255: 'local' }, { dir: true });
export const protocolNames = db('rt_protos', {
  0: 'unspec', 1: 'redirect', 2: 'kernel', 3: 'boot', 4: 'static', 8: 'gated', 9: 'ra', 10: 'mrt', 11: 'zebra',
  12: 'bird', 42: 'babel', 13: 'dnrouted', 14: 'xorp', 15: 'ntk', 16: 'dhcp', 18: 'keepalived', 186: 'bgp',
  187: 'isis', 188: 'ospf', 189: 'rip', 192: 'eigrp',
}, { dir: true });
export const realmNames = db('rt_realms', { 0: 'unknown' });
export const scopeNames = db('rt_scopes', { 0: 'global', 255: 'nowhere', 254: 'host', 253: 'link', 200: 'site' });
export const dsfieldNames = db('rt_dsfield', {}, { fallback: (id) => `0x${id.toString(16).padStart(2, '0')}` });
export const groupNames = db('group', {});

/** /etc/protocols, as getprotobynumber / getprotobyname see it (read by src/nft/protocols.ts). */
export const ipProtocolNames: NameDb = {
  name: (id) => ipProtocols.name(id) ?? `ipproto-${id}`,
  id: (name) => ipProtocols.number(name),
};

export { parseUnsigned };

/** A name from a database or a number up to `max`; undefined when it is neither. */
export function namedId(names: NameDb, text: string, max: number): number | undefined {
  const n = names.id(text) ?? parseUnsigned(text);
  return n !== undefined && n <= max ? n : undefined;
}

/**
 * `realms [FROM/]TO` as ip reads it (get_rt_realms_or_raw): each a name from
 * rt_realms or a number up to 0xffff, FROM in the high 16 bits. Undefined for
 * anything else: a second '/' ("1/2/3", which ip refuses too) and an empty
 * part ("1/", which ip takes as TO 0) are not dropped or guessed at.
 */
export function parseRealms(text: string): number | undefined {
  const parts = text.split('/');
  if (parts.length > 2) return undefined;
  const ids = parts.map((p) => namedId(realmNames, p, 0xffff));
  if (ids[0] === undefined || ids[1 % parts.length] === undefined) return undefined;
  return parts.length === 2 ? ((ids[0] << 16) | ids[1]!) >>> 0 : ids[0];
}

/** A name from a database, or a number; the text itself when it is neither (the library then names the field). */
export function idOf(names: NameDb, text: string): number | string {
  return names.id(text) ?? parseUnsigned(text) ?? text;
}
