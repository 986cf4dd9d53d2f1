// The socket filter: port and address conditions joined by and/or/not, as
// ss's filter expressions say them (`sport = :22`, `dst 198.18.0.0/15`).
// Checked once (bad input is an EncodeError before anything is sent), then
// either compiled to the kernel's inet_diag bytecode (INET_DIAG_REQ_BYTECODE,
// so the kernel skips what does not match), or run here on sockets the
// kernel cannot filter (UNIX, packet, netlink). The bytecode is what ss 6.1
// compiles for the same expression, byte for byte (test/fixtures/diag/).
import { AF_INET, AF_INET6 } from '../generated/libc/socket.js';
import {
  INET_DIAG_BC_D_COND, INET_DIAG_BC_D_GE, INET_DIAG_BC_D_LE, INET_DIAG_BC_JMP, INET_DIAG_BC_S_COND,
  INET_DIAG_BC_S_GE, INET_DIAG_BC_S_LE, inet_diag_bc_op, inet_diag_hostcond,
} from '../generated/linux/inet_diag.js';
import { describe } from '../netlink/describe.js';
import { EncodeError } from '../netlink/errors.js';
import { isRecord } from '../netlink/narrow.js';
import { parseIP } from '../netlink/ip.js';

/** How a port is compared: ss's `=`, `!=`, `>=`, `<=`, `>`, `<`. */
export type PortOp = 'eq' | 'ne' | 'ge' | 'le' | 'gt' | 'lt';

/**
 * A filter over sockets. `src`/`dst` take an address, an address/length
 * prefix, or `*` (any address), with an optional port: all must match.
 */
export type SocketFilter =
  | { sport: number; op?: PortOp }
  | { dport: number; op?: PortOp }
  | { src: string; port?: number }
  | { dst: string; port?: number }
  | { and: readonly SocketFilter[] }
  | { or: readonly SocketFilter[] }
  | { not: SocketFilter };

/** A checked filter: ss's own node kinds. */
export type FilterNode =
  | { t: 'cond'; side: 's' | 'd'; family: number; prefixLen: number; addr: Buffer; port: number }
  | { t: 'ge' | 'le'; side: 's' | 'd'; port: number }
  | { t: 'and' | 'or'; a: FilterNode; b: FilterNode }
  | { t: 'not'; a: FilterNode };

const PORT_OPS: readonly PortOp[] = ['eq', 'ne', 'ge', 'le', 'gt', 'lt'];
const NO_ADDR = Buffer.alloc(0);

function port(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 65535) throw new EncodeError(path, `expected a port 0..65535, got ${describe(v)}`);
  return v;
}

function portNode(side: 's' | 'd', p: number, op: PortOp): FilterNode {
  const cond: FilterNode = { t: 'cond', side, family: 0, prefixLen: 0, addr: NO_ADDR, port: p };
  switch (op) {
    case 'eq': return cond;
    case 'ne': return { t: 'not', a: cond };
    case 'ge': return { t: 'ge', side, port: p };
    case 'le': return { t: 'le', side, port: p };
    // As ss compiles them: `> N` is not `<= N`, `< N` is not `>= N`.
    case 'gt': return { t: 'not', a: { t: 'le', side, port: p } };
    case 'lt': return { t: 'not', a: { t: 'ge', side, port: p } };
  }
}

function addrNode(side: 's' | 'd', text: unknown, p: unknown, path: string): FilterNode {
  if (typeof text !== 'string' || text === '') throw new EncodeError(path, `expected an address, address/length or *, got ${describe(text)}`);
  const portValue = p === undefined ? -1 : port(p, `${path}.port`);
  if (text === '*') return { t: 'cond', side, family: 0, prefixLen: 0, addr: NO_ADDR, port: portValue };
  const slash = text.indexOf('/');
  const addr = parseIP(slash < 0 ? text : text.slice(0, slash), path);
  const max = addr.length * 8;
  let len = max;
  if (slash >= 0) {
    const l = text.slice(slash + 1);
    len = /^\d{1,3}$/.test(l) ? Number(l) : -1;
    if (len < 0 || len > max) throw new EncodeError(path, `prefix length "${l}" is not 0..${max} for ${text.slice(0, slash)}`);
  }
  return { t: 'cond', side, family: addr.length === 4 ? AF_INET : AF_INET6, prefixLen: len, addr, port: portValue };
}

/** Checks a filter and turns it into ss's node tree. Throws EncodeError naming the bad part. */
export function checkFilter(f: unknown, path = 'filter'): FilterNode {
  if (!isRecord(f) || Array.isArray(f)) throw new EncodeError(path, `expected a filter object, got ${describe(f)}`);
  const o = f;
  const keys = Object.keys(o);
  const has = (k: string): boolean => Object.hasOwn(o, k);
  const only = (...allowed: string[]): void => {
    const extra = keys.filter((k) => !allowed.includes(k));
    if (extra.length > 0) throw new EncodeError(path, `unexpected ${extra.join(', ')} beside ${allowed[0]}`);
  };
  for (const side of ['s', 'd'] as const) {
    const k = `${side}port`;
    if (has(k)) {
      only(k, 'op');
      const given = o.op ?? 'eq';
      const op = PORT_OPS.find((x) => x === given);
      if (op === undefined) throw new EncodeError(`${path}.op`, `expected one of ${PORT_OPS.join(', ')}, got ${describe(given)}`);
      return portNode(side, port(o[k], `${path}.${k}`), op);
    }
    const a = side === 's' ? 'src' : 'dst';
    if (has(a)) {
      only(a, 'port');
      return addrNode(side, o[a], o.port, `${path}.${a}`);
    }
  }
  for (const k of ['and', 'or'] as const) {
    if (!has(k)) continue;
    only(k);
    const list = o[k];
    if (!Array.isArray(list) || list.length === 0) throw new EncodeError(`${path}.${k}`, `expected a non-empty array of filters, got ${describe(list)}`);
    return list.map((x, i) => checkFilter(x, `${path}.${k}[${i}]`)).reduce((a, b) => ({ t: k, a, b }));
  }
  if (has('not')) {
    only('not');
    return { t: 'not', a: checkFilter(o.not, `${path}.not`) };
  }
  throw new EncodeError(path, `expected one of sport, dport, src, dst, and, or, not; got ${keys.length ? keys.join(', ') : 'an empty object'}`);
}

const OP = inet_diag_bc_op.size;
const HOSTCOND = inet_diag_hostcond.size;

function op(code: number, yes: number, no: number): Buffer {
  const b = Buffer.alloc(OP);
  b.writeUInt8(code, 0);
  b.writeUInt8(yes, 1);
  b.writeUInt16LE(no, 2);
  return b;
}

/** ss's ssfilter_patch: the first operand's jumps to "reject" (one op past its end) move past the second operand too. */
function patch(a: Buffer, reloc: number): void {
  let at = 0;
  let len = a.length;
  while (len > 0) {
    const yes = a.readUInt8(at + 1);
    const no = a.readUInt16LE(at + 2);
    if (no === len + 4) a.writeUInt16LE(no + reloc, at + 2);
    len -= yes;
    at += yes;
  }
}

/** The kernel's inet_diag bytecode for a checked filter (what ss's ssfilter_bytecompile makes). */
export function compileFilter(n: FilterNode): Buffer {
  switch (n.t) {
    case 'cond': {
      // ss sizes the address by the family: 16 bytes for IPv6, 4 otherwise (also for "any").
      const alen = n.family === AF_INET6 ? 16 : 4;
      const oplen = OP + HOSTCOND + alen;
      const b = Buffer.alloc(oplen);
      op(n.side === 's' ? INET_DIAG_BC_S_COND : INET_DIAG_BC_D_COND, oplen, oplen + 4).copy(b, 0);
      b.writeUInt8(n.family, OP + inet_diag_hostcond.fields[0].offset);
      b.writeUInt8(n.prefixLen, OP + inet_diag_hostcond.fields[1].offset);
      b.writeInt32LE(n.port, OP + inet_diag_hostcond.fields[2].offset);
      n.addr.copy(b, OP + inet_diag_hostcond.fields[3].offset);
      return b;
    }
    case 'ge':
    case 'le': {
      const code = n.side === 's' ? (n.t === 'ge' ? INET_DIAG_BC_S_GE : INET_DIAG_BC_S_LE) : (n.t === 'ge' ? INET_DIAG_BC_D_GE : INET_DIAG_BC_D_LE);
      return Buffer.concat([op(code, 8, 12), op(0, 0, n.port)]);
    }
    case 'and': {
      const a = compileFilter(n.a);
      const b = compileFilter(n.b);
      patch(a, b.length);
      return Buffer.concat([a, b]);
    }
    case 'or': {
      const a = compileFilter(n.a);
      const b = compileFilter(n.b);
      return Buffer.concat([a, op(INET_DIAG_BC_JMP, 4, b.length + 4), b]);
    }
    case 'not':
      return Buffer.concat([compileFilter(n.a), op(INET_DIAG_BC_JMP, 4, 8)]);
  }
}

/** What a filter looks at on a socket: ports and, for IP sockets, addresses (family 4/6 bytes). */
export interface FilterSubject {
  lport: number;
  rport: number;
  local?: Buffer;
  remote?: Buffer;
}

function prefixMatch(addr: Buffer, want: Buffer, len: number): boolean {
  if (addr.length !== want.length) {
    // ss: an IPv4-mapped IPv6 socket address matches an IPv4 prefix.
    if (want.length !== 4 || addr.length !== 16 || !addr.subarray(0, 12).equals(V4_MAPPED)) return false;
    addr = addr.subarray(12);
  }
  const whole = len >> 3;
  if (!addr.subarray(0, whole).equals(want.subarray(0, whole))) return false;
  const rest = len & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (addr[whole]! & mask) === (want[whole]! & mask);
}

const V4_MAPPED = Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff]);

/** Runs a checked filter on one socket, as ss's run_ssfilter does (for what the kernel did not filter). */
export function matchFilter(n: FilterNode, s: FilterSubject): boolean {
  switch (n.t) {
    case 'cond': {
      const p = n.side === 's' ? s.lport : s.rport;
      if (n.port !== -1 && n.port !== p) return false;
      if (n.prefixLen === 0 && n.family === 0) return true;
      const addr = n.side === 's' ? s.local : s.remote;
      return addr !== undefined && prefixMatch(addr, n.addr, n.prefixLen);
    }
    case 'ge': return (n.side === 's' ? s.lport : s.rport) >= n.port;
    case 'le': return (n.side === 's' ? s.lport : s.rport) <= n.port;
    case 'and': return matchFilter(n.a, s) && matchFilter(n.b, s);
    case 'or': return matchFilter(n.a, s) || matchFilter(n.b, s);
    case 'not': return !matchFilter(n.a, s);
  }
}
