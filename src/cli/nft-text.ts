// nft's text form of what `nft list` prints, from the JSON form
// (src/nft/ruleset-json.ts): tables, chains with their hook line, sets and
// maps, objects, and rules in nft's words. `-j` prints the JSON itself.
import { type NftValue, isNftObject } from '../nft/datatypes.js';

type Obj = Record<string, NftValue>;
import { byteUnit } from '../nft/units.js';

const isObj = isNftObject;
const PRIO_NAMES: Readonly<Record<number, string>> = { [-300]: 'raw', [-150]: 'mangle', [-100]: 'dstnat', 0: 'filter', 50: 'security', 100: 'srcnat' };
/** nft's short names for meta keys it prints without `meta`. */
const BARE_META = new Set(['iif', 'oif', 'iifname', 'oifname', 'iiftype', 'oiftype', 'skuid', 'skgid', 'nftrace', 'rtclassid', 'ibrname', 'obrname', 'pkttype', 'cpu', 'iifgroup', 'oifgroup', 'cgroup', 'ipsec']);

export function value(v: NftValue): string {
  if (typeof v === 'string') return v.startsWith('@') ? v : /^[\w.:/-]+$/.test(v) && !/^\d+$/.test(v) ? v : JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null) return '';
  if (Array.isArray(v)) return v.map(value).join(',');
  if (Array.isArray(v.set)) return `{ ${v.set.map((e) => (Array.isArray(e) ? `${value(e[0]!)} : ${statement(e[1]!)}` : value(e))).join(', ')} }`;
  if (isObj(v.prefix)) return `${value(v.prefix.addr!)}/${value(v.prefix.len!)}`;
  if (Array.isArray(v.range)) return `${value(v.range[0]!)}-${value(v.range[1]!)}`;
  if (Array.isArray(v.concat)) return v.concat.map(value).join(' . ');
  if (isObj(v.payload)) return v.payload.protocol !== undefined ? `${String(v.payload.protocol)} ${String(v.payload.field)}` : `@${String(v.payload.base)},${String(v.payload.offset)},${String(v.payload.len)}`;
  if (isObj(v.meta)) return BARE_META.has(String(v.meta.key)) ? String(v.meta.key) : `meta ${String(v.meta.key)}`;
  if (isObj(v.ct)) return `ct${v.ct.dir ? ` ${String(v.ct.dir)}` : ''} ${v.ct.family ? `${String(v.ct.family)} ` : ''}${String(v.ct.key)}`;
  if (Array.isArray(v['&'])) return `${value(v['&'][0]!)} & ${typed(v['&'][0]!, v['&'][1]!)}`;
  if (isObj(v.map)) return `${value(v.map.key!)} map ${value(v.map.data!)}`;
  if (isObj(v.elem)) return `${value(v.elem.val!)}${v.elem.timeout !== undefined ? ` timeout ${String(v.elem.timeout)}s` : ''}${v.elem.expires !== undefined ? ` expires ${String(v.elem.expires)}s` : ''}`;
  return JSON.stringify(v);
}

function natArgs(o: Obj | null): string {
  if (!o) return '';
  const parts: string[] = [];
  if (o.addr !== undefined || o.port !== undefined) parts.push(`to ${o.family ? `${String(o.family)} ` : ''}${o.addr !== undefined ? value(o.addr) : ''}${o.port !== undefined ? `:${value(o.port)}` : ''}`);
  if (o.flags !== undefined) parts.push(Array.isArray(o.flags) ? o.flags.join(',') : String(o.flags));
  return parts.length ? ` ${parts.join(' ')}` : '';
}

/** Interface names quoted, marks in hex, as nft prints them. */
function typed(left: NftValue, right: NftValue): string {
  const base = isObj(left) && Array.isArray(left['&']) ? left['&'][0]! : left;
  const key = isObj(base) && isObj(base.meta) ? String(base.meta.key) : isObj(base) && isObj(base.ct) ? `ct ${String(base.ct.key)}` : '';
  if (['iif', 'oif', 'iifname', 'oifname', 'ibrname', 'obrname'].includes(key) && typeof right === 'string') return JSON.stringify(right);
  if ((key === 'mark' || key === 'ct mark') && typeof right === 'number') return hex8(right);
  return value(right);
}
const hex8 = (n: number): string => `0x${n.toString(16).padStart(8, '0')}`;

export function statement(s: NftValue): string {
  if (!isObj(s)) return String(s);
  const [k, v] = Object.entries(s)[0] ?? ['', null];
  const o = isObj(v) ? v : null;
  switch (k) {
    case 'match': {
      const left = o!.left!;
      const masked = isObj(left) && Array.isArray(left['&']);
      const op = (o!.op === '==' && !masked) || o!.op === 'in' ? '' : `${String(o!.op)} `;
      return `${value(left)} ${op}${typed(left, o!.right!)}`;
    }
    case 'jump': case 'goto': return `${k} ${String(o?.target)}`;
    case 'counter': return typeof v === 'string' ? `counter name ${JSON.stringify(v)}` : `counter packets ${String(o?.packets ?? 0)} bytes ${String(o?.bytes ?? 0)}`;
    case 'quota': return typeof v === 'string' ? `quota name ${JSON.stringify(v)}` : `quota ${o?.inv ? 'over ' : ''}${String(o?.val)} ${String(o?.val_unit)}`;
    case 'limit': return typeof v === 'string' ? `limit name ${JSON.stringify(v)}` : `limit rate ${o?.inv ? 'over ' : ''}${String(o?.rate)}${o?.rate_unit ? ` ${String(o.rate_unit)}` : ''}/${String(o?.per)}${o?.burst !== undefined && o.burst !== 5 ? ` burst ${String(o.burst)} ${String(o.burst_unit ?? 'packets')}` : ''}`;
    case 'log': return `log${o?.prefix !== undefined ? ` prefix ${JSON.stringify(o.prefix)}` : ''}${o?.level !== undefined ? ` level ${String(o.level)}` : ''}${o?.group !== undefined ? ` group ${String(o.group)}` : ''}${o?.flags !== undefined ? ` flags ${value(o.flags)}` : ''}`;
    case 'reject': return o && !(o.type === 'icmpx' && o.expr === 'port-unreachable') ? `reject with ${o.type === 'tcp reset' ? 'tcp reset' : `${String(o.type)} ${String(o.expr)}`}` : 'reject';
    case 'snat': case 'dnat': return `${k}${natArgs(o)}`;
    case 'masquerade': case 'redirect': return `${k}${natArgs(o)}`;
    case 'mangle': return `${value(o!.key!)} set ${typed(o!.key!, o!.value!)}`;
    case 'vmap': return `${value(o!.key!)} vmap ${value(o!.data!)}`;
    case 'set': return `${String(o?.op)} ${String(o?.set)} { ${value(o?.elem ?? null)} }`;
    case 'flow': return `flow add ${String(o?.flowtable)}`;
    default: return v === null ? k : `${k} ${JSON.stringify(v)}`;
  }
}

/** `nft list` text of a JSON listing. */
export function rulesetText(list: readonly NftValue[]): string {
  const lines: string[] = [];
  const items = list.filter(isObj).map((x) => Object.entries(x)[0]!).filter(([k]) => k !== 'metainfo') as [string, Obj][];
  const tables = items.filter(([k]) => k === 'table').map(([, t]) => t);
  // A chain listed alone comes without its table (as nft -j lists it): print it inside one.
  for (const [k, x] of items) {
    if (k === 'chain' && !tables.some((t) => t.family === x.family && t.name === x.table)) tables.push({ family: x.family!, name: x.table! });
  }
  for (const t of tables) {
    const mine = items.filter(([k, x]) => k !== 'table' && x.family === t.family && x.table === t.name);
    lines.push(`table ${String(t.family)} ${String(t.name)} {`);
    const blocks: string[][] = [];
    for (const [k, x] of mine) {
      if (k === 'counter' || k === 'quota' || k === 'limit') {
        const body = k === 'counter' ? `packets ${String(x.packets)} bytes ${String(x.bytes)}` : k === 'quota' ? `${x.inv ? 'over ' : ''}${byteUnit(Number(x.bytes)).join(' ')}` : `rate ${x.inv ? 'over ' : ''}${String(x.rate)}/${String(x.per)}`;
        blocks.push([`\t${k} ${String(x.name)} {`, `\t\t${body}`, '\t}']);
      } else if (k === 'set' || k === 'map') {
        const b = [`\t${k} ${String(x.name)} {`, `\t\ttype ${Array.isArray(x.type) ? x.type.join(' . ') : String(x.type)}${k === 'map' ? ` : ${String(x.map)}` : ''}`];
        if (x.size !== undefined) b.push(`\t\tsize ${String(x.size)}`);
        const flags = Array.isArray(x.flags) ? x.flags.filter((f) => f !== 'timeout' || x.timeout === undefined) : [];
        if (flags.length) b.push(`\t\tflags ${flags.join(',')}`);
        if (x.timeout !== undefined) b.push(`\t\ttimeout ${String(x.timeout)}s`);
        if (Array.isArray(x.elem)) b.push(`\t\telements = ${value({ set: x.elem })}`);
        blocks.push([...b, '\t}']);
      } else if (k === 'chain') {
        const b = [`\tchain ${String(x.name)} {`];
        if (x.hook !== undefined) {
          const prio = typeof x.prio === 'number' && PRIO_NAMES[x.prio] !== undefined ? PRIO_NAMES[x.prio] : String(x.prio);
          b.push(`\t\ttype ${String(x.type)} hook ${String(x.hook)} priority ${prio}; policy ${String(x.policy)};`);
        }
        for (const [, r] of mine.filter(([kk, rr]) => kk === 'rule' && rr.chain === x.name)) {
          b.push(`\t\t${(r.expr as NftValue[]).map(statement).join(' ')}${r.comment !== undefined ? ` comment ${JSON.stringify(r.comment)}` : ''}`);
        }
        blocks.push([...b, '\t}']);
      }
    }
    blocks.forEach((b, i) => { if (i > 0) lines.push(''); lines.push(...b); });
    lines.push('}');
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}
