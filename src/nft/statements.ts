// nft's JSON words as TypeScript types, and small constructors for them:
// the typed side of the expression builder. A document built with these is
// an NftDocument as load(), apply() and plan() take it; rule-build.ts turns
// its statements into the kernel's expressions as nft writes them.
//
//   const r = rule('inet', 'fw', 'in', [match(payload('tcp', 'dport'), set(22, 443)), accept()]);
import type { NftValue } from './datatypes.js';
import type { CtKey, MetaKey, NftFamily, NftHook } from './names.js';

/** A `payload` expression: a header field by protocol and name, or raw bytes at an offset of a header. */
export type NftPayloadExpr = { payload: { protocol: string; field: string } } | { payload: { base: 'll' | 'nh' | 'th'; offset: number; len: number } };
/** A `meta` expression: packet metadata by key. */
export type NftMetaExpr = { meta: { key: MetaKey } };
/** A `ct` expression: connection tracking state by key. */
export type NftCtExpr = { ct: { key: CtKey | 'saddr' | 'daddr'; family?: 'ip' | 'ip6'; dir?: 'original' | 'reply' } };
/** What a match looks at. */
export type NftKeyExpr = NftPayloadExpr | NftMetaExpr | NftCtExpr | { concat: NftKeyExpr[] } | { '&': [NftKeyExpr, NftValue] };
/** What it is compared with: a value, a list of flags, a prefix, a range, a set in place or a named one (`@name`). */
export type NftRightExpr = string | number | string[] | { prefix: { addr: string; len: number } } | { range: [NftValue, NftValue] } | { set: NftValue[] };
/** A verdict statement: accept, drop, continue, return, jump or goto. */
export type NftVerdict = { accept: null } | { drop: null } | { continue: null } | { return: null } | { jump: { target: string } } | { goto: { target: string } };
/** A match's operator. */
export type NftMatchOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in';

/** A rule's statement as `nft -j` writes it: a match, a verdict, counter, NAT, log... */
export type NftStatement =
  | { match: { op: NftMatchOp; left: NftKeyExpr; right: NftRightExpr } }
  | NftVerdict
  | { counter: null | { packets: number; bytes: number } | string }
  | { quota: { val: number; val_unit?: 'bytes' | 'kbytes' | 'mbytes'; inv?: boolean } | string }
  | { limit: { rate: number; per?: 'second' | 'minute' | 'hour' | 'day' | 'week'; burst?: number; rate_unit?: 'packets' | 'bytes' | 'kbytes' | 'mbytes'; inv?: boolean } | string }
  | { log: null | { prefix?: string; level?: string; group?: number; snaplen?: number; flags?: string | string[] } }
  | { reject: null | { type: 'icmp' | 'icmpv6' | 'icmpx' | 'tcp reset'; expr?: string } }
  | { snat: NftNat } | { dnat: NftNat }
  | { masquerade: null | { port?: NftValue; flags?: string | string[] } }
  | { redirect: null | { port?: NftValue; flags?: string | string[] } }
  | { mangle: { key: NftMetaExpr | NftCtExpr; value: NftValue } }
  | { vmap: { key: NftKeyExpr; data: string | { set: [NftValue, NftVerdict][] } } }
  | { set: { op: 'add' | 'update' | 'delete'; elem: NftValue; set: string } }
  | { notrack: null };

/** The arguments of a snat or dnat statement. */
export type NftNat = { addr?: NftValue; port?: NftValue; family?: 'ip' | 'ip6'; flags?: string | string[] };

/** The objects of an nft JSON document, as nft -j lists them. */
export type NftObject =
  | { table: { family: NftFamily; name: string } }
  | { chain: { family: NftFamily; table: string; name: string; type?: 'filter' | 'nat' | 'route'; hook?: NftHook; prio?: number | string; policy?: 'accept' | 'drop'; dev?: string } }
  | { rule: { family: NftFamily; table: string; chain: string; expr: NftStatement[]; comment?: string } }
  | { set: NftSetObject } | { map: NftSetObject & { map: string } }
  | { counter: { family: NftFamily; table: string; name: string; packets?: number; bytes?: number } }
  | { quota: { family: NftFamily; table: string; name: string; bytes: number; used?: number; inv?: boolean } }
  | { limit: { family: NftFamily; table: string; name: string; rate: number; per?: string; burst?: number; rate_unit?: string; inv?: boolean } };

/** A named set as `nft -j` writes it. */
export type NftSetObject = {
  family: NftFamily; table: string; name: string; type: string | string[];
  flags?: ('constant' | 'interval' | 'timeout' | 'dynamic')[]; timeout?: number; size?: number; elem?: NftValue[];
};

/** `payload` by protocol and field: `payload('ip', 'saddr')`. */
export const payload = (protocol: string, field: string): NftPayloadExpr => ({ payload: { protocol, field } });
/** `meta` by key: `meta('iifname')`. */
export const meta = (key: MetaKey): NftMetaExpr => ({ meta: { key } });
/** `ct` by key: `ct('state')`. */
export const ct = (key: CtKey): NftCtExpr => ({ ct: { key } });
/** A concatenation of keys (for a set of pairs, say). */
export const concat = (...parts: NftKeyExpr[]): NftKeyExpr => ({ concat: parts });
/** An address prefix as a match's right side: `prefix('198.18.0.0', 15)`. */
export const prefix = (addr: string, len: number): NftRightExpr => ({ prefix: { addr, len } });
/** A range as a match's right side. */
export const range = (from: NftValue, to: NftValue): NftRightExpr => ({ range: [from, to] });
/** An anonymous set as a match's right side. */
export const set = (...elems: NftValue[]): NftRightExpr => ({ set: elems });
/** A match statement: `left op right`; the operator defaults to `in` for an array, `==` otherwise. */
export const match = (left: NftKeyExpr, right: NftRightExpr, op: NftMatchOp = Array.isArray(right) ? 'in' : '=='): NftStatement => ({ match: { op, left, right } });
/** The accept verdict. */
export const accept = (): NftVerdict => ({ accept: null });
/** The drop verdict. */
export const drop = (): NftVerdict => ({ drop: null });
/** Jumps to another chain (and comes back). */
export const jump = (target: string): NftVerdict => ({ jump: { target } });
/** Goes to another chain (without coming back). */
export const goto = (target: string): NftVerdict => ({ goto: { target } });
/** An anonymous counter statement. */
export const counter = (): NftStatement => ({ counter: null });
/** A masquerade statement (source NAT to the outgoing interface's address). */
export const masquerade = (): NftStatement => ({ masquerade: null });
/** A source NAT statement to an address (and port). */
export const snat = (addr: string, port?: number): NftStatement => ({ snat: port === undefined ? { addr } : { addr, port } });
/** A destination NAT statement to an address (and port). */
export const dnat = (addr: string, port?: number): NftStatement => ({ dnat: port === undefined ? { addr } : { addr, port } });
/** A rule object for a document: its family, table, chain, statements and comment. */
export const rule = (family: NftFamily, table: string, chain: string, expr: NftStatement[], comment?: string): NftObject =>
  ({ rule: comment === undefined ? { family, table, chain, expr } : { family, table, chain, expr, comment } });
