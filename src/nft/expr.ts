// The kernel's side of a rule: its expressions (NFTA_RULE_EXPRESSIONS), one
// attribute set per expression name, as `nft --debug=netlink` shows them.
// A decoded expression is `{ expr: name, ...attributes }` in wire order, so
// encoding it again gives the same bytes; an expression this version has no
// set for is `{ expr: name, raw }` with its NFTA_EXPR_DATA kept byte for byte.
// (`expr`, not `type`: limit, reject and nat have a `type` attribute.)
// The nft-shaped view (`{ match: ... }`) is built from these in rule-json.ts.
import * as T from '../generated/linux/netfilter/nf_tables.js';
import { type Codec, be32, be64, binary, string, stringNoNul } from '../netlink/codec.js';
import { describe } from '../netlink/describe.js';
import { encodeAttrsChecked, isRecord, lookup } from '../netlink/narrow.js';
import { type DecodeIssue, EncodeError } from '../netlink/errors.js';
import { type AttrSet, type AttrsIn, type AttrsOut, attr, attrSet } from '../netlink/schema.js';
import { NLA_TYPE_MASK } from '../netlink/reader.js';
import { NLA_F_NESTED } from '../generated/linux/netlink.js';
import { be32Of, nest, nftName, sbe32 } from './codecs.js';
import { data } from './data.js';
import {
  cmpOps, ctKeys, limitTypes, logLevels, metaKeys, natTypes, nftFamilies, objectTypes, payloadBases, rangeOps, rejectTypes,
} from './names.js';

/** Expression attribute sets by the kernel's expression name. */
export const EXPR_SETS = {
  payload: attrSet('nft.payload', {
    dreg: attr(T.NFTA_PAYLOAD_DREG, be32),
    base: attr(T.NFTA_PAYLOAD_BASE, be32Of(payloadBases)),
    offset: attr(T.NFTA_PAYLOAD_OFFSET, be32),
    len: attr(T.NFTA_PAYLOAD_LEN, be32),
    sreg: attr(T.NFTA_PAYLOAD_SREG, be32),
    csumType: attr(T.NFTA_PAYLOAD_CSUM_TYPE, be32),
    csumOffset: attr(T.NFTA_PAYLOAD_CSUM_OFFSET, be32),
    csumFlags: attr(T.NFTA_PAYLOAD_CSUM_FLAGS, be32),
  }),
  meta: attrSet('nft.meta', {
    dreg: attr(T.NFTA_META_DREG, be32),
    key: attr(T.NFTA_META_KEY, be32Of(metaKeys)),
    sreg: attr(T.NFTA_META_SREG, be32),
  }),
  ct: attrSet('nft.ct', {
    dreg: attr(T.NFTA_CT_DREG, be32),
    key: attr(T.NFTA_CT_KEY, be32Of(ctKeys)),
    direction: attr(T.NFTA_CT_DIRECTION, binary),
    sreg: attr(T.NFTA_CT_SREG, be32),
  }),
  cmp: attrSet('nft.cmp', {
    sreg: attr(T.NFTA_CMP_SREG, be32),
    op: attr(T.NFTA_CMP_OP, be32Of(cmpOps)),
    data: attr(T.NFTA_CMP_DATA, data),
  }),
  range: attrSet('nft.range', {
    sreg: attr(T.NFTA_RANGE_SREG, be32),
    op: attr(T.NFTA_RANGE_OP, be32Of(rangeOps)),
    from: attr(T.NFTA_RANGE_FROM_DATA, data),
    to: attr(T.NFTA_RANGE_TO_DATA, data),
  }),
  bitwise: attrSet('nft.bitwise', {
    sreg: attr(T.NFTA_BITWISE_SREG, be32),
    dreg: attr(T.NFTA_BITWISE_DREG, be32),
    len: attr(T.NFTA_BITWISE_LEN, be32),
    mask: attr(T.NFTA_BITWISE_MASK, data),
    xor: attr(T.NFTA_BITWISE_XOR, data),
    op: attr(T.NFTA_BITWISE_OP, be32),
    data: attr(T.NFTA_BITWISE_DATA, data),
  }),
  byteorder: attrSet('nft.byteorder', {
    sreg: attr(T.NFTA_BYTEORDER_SREG, be32),
    dreg: attr(T.NFTA_BYTEORDER_DREG, be32),
    op: attr(T.NFTA_BYTEORDER_OP, be32),
    len: attr(T.NFTA_BYTEORDER_LEN, be32),
    size: attr(T.NFTA_BYTEORDER_SIZE, be32),
  }),
  lookup: attrSet('nft.lookup', {
    set: attr(T.NFTA_LOOKUP_SET, nftName),
    sreg: attr(T.NFTA_LOOKUP_SREG, be32),
    dreg: attr(T.NFTA_LOOKUP_DREG, be32),
    setId: attr(T.NFTA_LOOKUP_SET_ID, be32),
    flags: attr(T.NFTA_LOOKUP_FLAGS, be32),
  }),
  dynset: attrSet('nft.dynset', {
    setName: attr(T.NFTA_DYNSET_SET_NAME, nftName),
    setId: attr(T.NFTA_DYNSET_SET_ID, be32),
    op: attr(T.NFTA_DYNSET_OP, be32),
    sregKey: attr(T.NFTA_DYNSET_SREG_KEY, be32),
    sregData: attr(T.NFTA_DYNSET_SREG_DATA, be32),
    timeout: attr(T.NFTA_DYNSET_TIMEOUT, be64),
    flags: attr(T.NFTA_DYNSET_FLAGS, be32),
  }),
  immediate: attrSet('nft.immediate', {
    dreg: attr(T.NFTA_IMMEDIATE_DREG, be32),
    data: attr(T.NFTA_IMMEDIATE_DATA, data),
  }),
  counter: attrSet('nft.counter', {
    bytes: attr(T.NFTA_COUNTER_BYTES, be64),
    packets: attr(T.NFTA_COUNTER_PACKETS, be64),
  }),
  limit: attrSet('nft.limit', {
    rate: attr(T.NFTA_LIMIT_RATE, be64),
    unit: attr(T.NFTA_LIMIT_UNIT, be64),
    burst: attr(T.NFTA_LIMIT_BURST, be32),
    type: attr(T.NFTA_LIMIT_TYPE, be32Of(limitTypes)),
    flags: attr(T.NFTA_LIMIT_FLAGS, be32),
  }),
  quota: attrSet('nft.quota', {
    bytes: attr(T.NFTA_QUOTA_BYTES, be64),
    flags: attr(T.NFTA_QUOTA_FLAGS, be32),
    consumed: attr(T.NFTA_QUOTA_CONSUMED, be64),
  }),
  log: attrSet('nft.log', {
    group: attr(T.NFTA_LOG_GROUP, binary),
    prefix: attr(T.NFTA_LOG_PREFIX, string),
    snaplen: attr(T.NFTA_LOG_SNAPLEN, be32),
    qthreshold: attr(T.NFTA_LOG_QTHRESHOLD, binary),
    level: attr(T.NFTA_LOG_LEVEL, be32Of(logLevels)),
    flags: attr(T.NFTA_LOG_FLAGS, be32),
  }),
  reject: attrSet('nft.reject', {
    type: attr(T.NFTA_REJECT_TYPE, be32Of(rejectTypes)),
    code: attr(T.NFTA_REJECT_ICMP_CODE, binary),
  }),
  nat: attrSet('nft.nat', {
    type: attr(T.NFTA_NAT_TYPE, be32Of(natTypes)),
    family: attr(T.NFTA_NAT_FAMILY, be32Of(nftFamilies)),
    regAddrMin: attr(T.NFTA_NAT_REG_ADDR_MIN, be32),
    regAddrMax: attr(T.NFTA_NAT_REG_ADDR_MAX, be32),
    regProtoMin: attr(T.NFTA_NAT_REG_PROTO_MIN, be32),
    regProtoMax: attr(T.NFTA_NAT_REG_PROTO_MAX, be32),
    flags: attr(T.NFTA_NAT_FLAGS, be32),
  }),
  masq: attrSet('nft.masq', {
    flags: attr(T.NFTA_MASQ_FLAGS, be32),
    regProtoMin: attr(T.NFTA_MASQ_REG_PROTO_MIN, be32),
    regProtoMax: attr(T.NFTA_MASQ_REG_PROTO_MAX, be32),
  }),
  redir: attrSet('nft.redir', {
    regProtoMin: attr(T.NFTA_REDIR_REG_PROTO_MIN, be32),
    regProtoMax: attr(T.NFTA_REDIR_REG_PROTO_MAX, be32),
    flags: attr(T.NFTA_REDIR_FLAGS, be32),
  }),
  objref: attrSet('nft.objref', {
    immType: attr(T.NFTA_OBJREF_IMM_TYPE, be32Of(objectTypes)),
    /** libnftnl sends this name without a NUL. */
    immName: attr(T.NFTA_OBJREF_IMM_NAME, stringNoNul),
    setSreg: attr(T.NFTA_OBJREF_SET_SREG, be32),
    setName: attr(T.NFTA_OBJREF_SET_NAME, nftName),
    setId: attr(T.NFTA_OBJREF_SET_ID, be32),
  }),
  flow_offload: attrSet('nft.flow_offload', {
    table: attr(T.NFTA_FLOW_TABLE_NAME, nftName),
  }),
  notrack: attrSet('nft.notrack', {}),
} as const;

/** The attribute sets of the nf_tables expressions, by expression name. */
export type ExprSets = typeof EXPR_SETS;
/** An nf_tables expression name this version has a schema for. */
export type ExprName = keyof ExprSets;
/** The attribute specs of expression K. */
export type ExprSpecs<K extends ExprName> = ExprSets[K] extends AttrSet<infer S> ? S : never;

/** A decoded expression of a kind this version knows. */
export type KnownExpr = { [K in ExprName]: { expr: K } & AttrsOut<ExprSpecs<K>> }[ExprName];
/** What the encoder takes for a known kind. */
export type KnownExprInput = { [K in ExprName]: { expr: K } & AttrsIn<ExprSpecs<K>> }[ExprName];
/** An expression this version has no attribute set for: its NFTA_EXPR_DATA as sent. */
export interface RawExpr { expr: string; raw: Buffer }

/** A rule's expression, decoded: a known one with its attributes, or an unknown one's bytes. */
export type Expr = KnownExpr | RawExpr;
/** A rule's expression as given: a known one with its attributes, or an unknown one's bytes. */
export type ExprInput = KnownExprInput | { expr: string; raw: Uint8Array };

export function isRawExpr(e: Expr): e is RawExpr {
  return !Object.hasOwn(EXPR_SETS, e.expr) || 'raw' in e;
}

const LIST_ELEM = T.NFTA_LIST_ELEM | NLA_F_NESTED;
const EXPR_NAME = T.NFTA_EXPR_NAME;
const EXPR_DATA = T.NFTA_EXPR_DATA | NLA_F_NESTED;

/** NFTA_RULE_EXPRESSIONS (and NFTA_SET_EXPRESSIONS): a list of { name, data } nests. */
export const expressions: Codec<Expr[], readonly ExprInput[]> = {
  name: 'nft expressions',
  typeFlags: NLA_F_NESTED,
  write(w, list, path) {
    if (!Array.isArray(list)) throw new EncodeError(path, `expected a list of expressions, got ${describe(list)}`);
    list.forEach((e: unknown, i) => writeExpr(w, e, `${path}[${i}]`));
  },
  read(buf, start, end, issues, path) {
    const out: Expr[] = [];
    let at = start;
    while (end - at >= 4) {
      const len = buf.readUInt16LE(at);
      if (len < 4 || len > end - at) { issues?.push({ path, problem: `expression of ${len} bytes does not fit the ${end - at} left`, offset: at }); break; }
      const e = readExpr(buf, at + 4, at + len, issues, `${path}[${out.length}]`);
      if (e !== undefined) out.push(e);
      at += (len + 3) & ~3;
    }
    return out;
  },
};

function writeExpr(w: Parameters<Codec<unknown>['write']>[0], e: unknown, path: string): void {
  if (!isRecord(e) || typeof e.expr !== 'string') {
    throw new EncodeError(path, `expected an expression { expr, ... }, got ${describe(e)}`);
  }
  const elem = w.beginAttr(LIST_ELEM, path);
  const name = w.beginAttr(EXPR_NAME, path);
  w.bytes(Buffer.from(`${e.expr}\0`, 'latin1'));
  w.endAttr(name, path);
  if ('raw' in e && e.raw !== undefined) {
    if (!(e.raw instanceof Uint8Array)) throw new EncodeError(`${path}.raw`, `expected a Buffer, got ${describe(e.raw)}`);
    const dataAt = w.beginAttr(EXPR_DATA, path);
    w.bytes(e.raw);
    w.endAttr(dataAt, path);
  } else {
    const set = lookup(EXPR_SETS, e.expr);
    if (set === undefined) throw new EncodeError(`${path}.expr`, `unknown expression "${e.expr}" without raw bytes (known: ${Object.keys(EXPR_SETS).join(', ')})`);
    // An expression without attributes (notrack) goes without NFTA_EXPR_DATA, as libnftnl sends it.
    if (Object.keys(set.specs).length > 0) {
      const { expr: _expr, ...attrs } = e;
      const dataAt = w.beginAttr(EXPR_DATA, path);
      // The expression's set checks every attribute it is given.
      encodeAttrsChecked(set, w, attrs, `${path}`);
      w.endAttr(dataAt, path);
    }
  }
  w.endAttr(elem, path);
}

function readExpr(buf: Buffer, start: number, end: number, issues: DecodeIssue[] | undefined, path: string): Expr | undefined {
  let name: string | undefined;
  let dataStart = -1;
  let dataEnd = -1;
  let at = start;
  while (end - at >= 4) {
    const len = buf.readUInt16LE(at);
    if (len < 4 || len > end - at) { issues?.push({ path, problem: `attribute of ${len} bytes does not fit`, offset: at }); return undefined; }
    const type = buf.readUInt16LE(at + 2) & NLA_TYPE_MASK;
    if (type === EXPR_NAME) name = readName(buf, at + 4, at + len);
    else if (type === T.NFTA_EXPR_DATA) { dataStart = at + 4; dataEnd = at + len; }
    at += (len + 3) & ~3;
  }
  if (name === undefined) { issues?.push({ path, problem: 'expression without a name', offset: start }); return undefined; }
  const set = lookup(EXPR_SETS, name);
  if (set === undefined) {
    return { expr: name, raw: dataStart < 0 ? Buffer.alloc(0) : Buffer.from(buf.subarray(dataStart, dataEnd)) };
  }
  const out: Record<string, unknown> = { expr: name };
  if (dataStart >= 0) set.decode(buf, dataStart, dataEnd, issues, `${path}.${name}`, out);
  // The attributes' type follows the expression name read from the message.
  return out as Expr;
}

function readName(buf: Buffer, start: number, end: number): string {
  let stop = start;
  while (stop < end && buf[stop] !== 0) stop++;
  return buf.toString('latin1', start, stop);
}

/** A register number as nft numbers them: 0 the verdict, 1-4 the 16-byte ones, 8-23 the 4-byte ones. */
export const REG_VERDICT = T.NFT_REG_VERDICT;
export const REG_1 = T.NFT_REG_1;
export const REG32_00 = T.NFT_REG32_00;
