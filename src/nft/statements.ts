// nft's JSON words as TypeScript types, and small constructors for them:
// the typed side of the expression builder. A document built with these is
// an NftDocument as load(), apply() and plan() take it; rule-build.ts turns
// its statements into the kernel's expressions as nft writes them.
//
//   const r = rule('inet', 'fw', 'in', [match(payload('tcp', 'dport'), set(22, 443)), accept()]);
import type { NftValue } from './datatypes.js';
import type { CtKey, MetaKey, NftFamily, NftHook } from './names.js';

export type NftPayloadExpr = { payload: { protocol: string; field: string } } | { payload: { base: 'll' | 'nh' | 'th'; offset: number; len: number } };
export type NftMetaExpr = { meta: { key: MetaKey } };
export type NftCtExpr = { ct: { key: CtKey | 'saddr' | 'daddr'; family?: 'ip' | 'ip6'; dir?: 'original' | 'reply' } };
/** What a match looks at. */
export type NftKeyExpr = NftPayloadExpr | NftMetaExpr | NftCtExpr | { concat: NftKeyExpr[] } | { '&': [NftKeyExpr, NftValue] };
/** What it is compared with: a value, a list of flags, a prefix, a range, a set in place or a named one (`@name`). */
export type NftRightExpr = string | number | string[] | { prefix: { addr: string; len: number } } | { range: [NftValue, NftValue] } | { set: NftValue[] };
export type NftVerdict = { accept: null } | { drop: null } | { continue: null } | { return: null } | { jump: { target: string } } | { goto: { target: string } };
export type NftMatchOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in';

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

export type NftSetObject = {
  family: NftFamily; table: string; name: string; type: string | string[];
  flags?: ('constant' | 'interval' | 'timeout' | 'dynamic')[]; timeout?: number; size?: number; elem?: NftValue[];
};

export const payload = (protocol: string, field: string): NftPayloadExpr => ({ payload: { protocol, field } });
export const meta = (key: MetaKey): NftMetaExpr => ({ meta: { key } });
export const ct = (key: CtKey): NftCtExpr => ({ ct: { key } });
export const concat = (...parts: NftKeyExpr[]): NftKeyExpr => ({ concat: parts });
export const prefix = (addr: string, len: number): NftRightExpr => ({ prefix: { addr, len } });
export const range = (from: NftValue, to: NftValue): NftRightExpr => ({ range: [from, to] });
export const set = (...elems: NftValue[]): NftRightExpr => ({ set: elems });
export const match = (left: NftKeyExpr, right: NftRightExpr, op: NftMatchOp = Array.isArray(right) ? 'in' : '=='): NftStatement => ({ match: { op, left, right } });
export const accept = (): NftVerdict => ({ accept: null });
export const drop = (): NftVerdict => ({ drop: null });
export const jump = (target: string): NftVerdict => ({ jump: { target } });
export const goto = (target: string): NftVerdict => ({ goto: { target } });
export const counter = (): NftStatement => ({ counter: null });
export const masquerade = (): NftStatement => ({ masquerade: null });
export const snat = (addr: string, port?: number): NftStatement => ({ snat: port === undefined ? { addr } : { addr, port } });
export const dnat = (addr: string, port?: number): NftStatement => ({ dnat: port === undefined ? { addr } : { addr, port } });
export const rule = (family: NftFamily, table: string, chain: string, expr: NftStatement[], comment?: string): NftObject =>
  ({ rule: comment === undefined ? { family, table, chain, expr } : { family, table, chain, expr, comment } });
