// ss's filter expression words (`sport = :22 and not dst 198.18.0.0/15`) as
// a SocketFilter. The grammar is ss's (misc/ssfilter.y in iproute2): and/or
// bind left to right with equal weight, two expressions side by side are
// joined by and, `!`/`not` binds tightest, parentheses group.
import { UsageError } from '../args.js';
import type { PortOp, SocketFilter } from '../../diag/filter.js';

const OPS: Readonly<Record<string, PortOp>> = {
  '=': 'eq', '==': 'eq', eq: 'eq', '!=': 'ne', ne: 'ne', neq: 'ne', '>=': 'ge', ge: 'ge', geq: 'ge',
  '<=': 'le', le: 'le', leq: 'le', '>': 'gt', gt: 'gt', '<': 'lt', lt: 'lt',
};
const AND = new Set(['and', '&', '&&']);
const OR = new Set(['or', '|', '||']);
const NOT = new Set(['not', '!']);

/** Words as ss's lexer sees them: parentheses stand alone even when typed against a word. */
function tokens(words: readonly string[]): string[] {
  const out: string[] = [];
  for (const w of words) for (const t of w.split(/([()])/)) if (t.trim() !== '') out.push(t.trim());
  return out;
}

function bad(msg: string): never {
  throw new UsageError(`ss: bad filter: ${msg}`);
}

/** `:N`, `N` or `*` (any port) after sport/dport. */
function portOf(w: string | undefined, what: string): number | undefined {
  if (w === undefined) bad(`${what} needs a port, as in "${what} = :22"`);
  const t = w.startsWith(':') ? w.slice(1) : w;
  if (t === '*') return undefined;
  if (!/^\d{1,5}$/.test(t) || Number(t) > 65535) bad(`"${w}" is not a port number (names are not looked up: ss -n)`);
  return Number(t);
}

/** `ADDR`, `ADDR/LEN`, `ADDR:PORT`, `[V6]:PORT`, `[V6/LEN]`, `*:PORT`, `:PORT`. */
function hostOf(w: string | undefined, what: 'src' | 'dst'): SocketFilter {
  if (w === undefined) bad(`${what} needs an address, as in "${what} 198.18.0.0/15"`);
  let addr = w;
  let port: number | undefined;
  const bracket = /^\[([^\]]+)\](?::(.+))?$/.exec(w);
  if (bracket) {
    addr = bracket[1]!;
    if (bracket[2] !== undefined) port = portOf(bracket[2], what);
  } else {
    const colon = w.lastIndexOf(':');
    // A single colon separates a port; several make an IPv6 address.
    if (colon >= 0 && w.indexOf(':') === colon) {
      addr = w.slice(0, colon) || '*';
      port = portOf(w.slice(colon + 1), what);
    }
  }
  const f = port === undefined ? { [what]: addr } : { [what]: addr, port };
  return f as SocketFilter;
}

export function parseFilterWords(words: readonly string[]): SocketFilter | undefined {
  const t = tokens(words);
  if (t.length === 0) return undefined;
  let i = 0;
  const peek = (): string | undefined => t[i];
  const exprList = (): SocketFilter => {
    let left = expr();
    for (;;) {
      const w = peek();
      if (w === undefined || w === ')') return left;
      if (OR.has(w)) { i++; left = { or: [left, expr()] }; }
      else if (AND.has(w)) { i++; left = { and: [left, expr()] }; }
      else left = { and: [left, expr()] };
    }
  };
  const expr = (): SocketFilter => {
    const w = t[i++];
    if (w === undefined) bad('the expression ends too soon');
    if (w === '(') {
      const e = exprList();
      if (t[i++] !== ')') bad('a "(" is not closed');
      return e;
    }
    if (NOT.has(w)) return { not: expr() };
    if (w === 'sport' || w === 'dport') {
      let op: PortOp = 'eq';
      const o = peek();
      if (o !== undefined && Object.hasOwn(OPS, o)) { op = OPS[o]!; i++; }
      const p = portOf(t[i++], w);
      if (p === undefined) return w === 'sport' ? { src: '*' } : { dst: '*' };
      return w === 'sport' ? { sport: p, op } : { dport: p, op };
    }
    if (w === 'src' || w === 'dst') {
      const o = peek();
      if (o === '=' || o === '==' || o === 'eq') i++;
      else if (o !== undefined && Object.hasOwn(OPS, o)) bad(`${w} takes "=" only, not "${o}" (use "not ${w} ...")`);
      return hostOf(t[i++], w);
    }
    bad(`"${w}" is not sport, dport, src, dst, and, or, not or a parenthesis`);
  };
  const f = exprList();
  if (i < t.length) bad(`unexpected "${t[i]}"`);
  return f;
}
