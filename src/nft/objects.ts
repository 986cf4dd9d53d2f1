// The nf_tables objects as the kernel sends and takes them: tables, chains,
// rules, sets, set elements, stateful objects and flowtables, one attribute
// set each (NFTA_TABLE_*, NFTA_CHAIN_*...). Every message starts with
// struct nfgenmsg, whose family is the table's family (src/nfnetlink).
import * as T from '../generated/linux/netfilter/nf_tables.js';
import { be32, be64, binary, string, withNestFlag } from '../netlink/codec.js';
import { type AttrsIn, type AttrsOut, attr, attrList, attrSet } from '../netlink/schema.js';
import { be32Of, indexedList, nest, nftName, sbe32, sbe32Of } from './codecs.js';
import { data } from './data.js';
import { expressions } from './expr.js';
import { chainFlags, chainPolicies, objectTypes, setFlags, tableFlags } from './names.js';

/** The attributes of nf_tables table messages (NFTA_TABLE_*), by name. */
export const tableAttrs = attrSet('nft.table', {
  name: attr(T.NFTA_TABLE_NAME, nftName),
  flags: attr(T.NFTA_TABLE_FLAGS, be32Of(tableFlags)),
  use: attr(T.NFTA_TABLE_USE, be32),
  handle: attr(T.NFTA_TABLE_HANDLE, be64),
  userdata: attr(T.NFTA_TABLE_USERDATA, binary),
  owner: attr(T.NFTA_TABLE_OWNER, be32),
});

const deviceList = attrSet('nft.devices', { name: attrList(T.NFTA_DEVICE_NAME, string) });

export const hookAttrs = attrSet('nft.hook', {
  /** The hook number: its name depends on the family (names.ts hookName). */
  hooknum: attr(T.NFTA_HOOK_HOOKNUM, be32),
  priority: attr(T.NFTA_HOOK_PRIORITY, sbe32),
  dev: attr(T.NFTA_HOOK_DEV, string),
  devs: attr(T.NFTA_HOOK_DEVS, nest(deviceList)),
});

const counterAttrs = attrSet('nft.counters', {
  bytes: attr(T.NFTA_COUNTER_BYTES, be64),
  packets: attr(T.NFTA_COUNTER_PACKETS, be64),
});

/** The attributes of nf_tables chain messages (NFTA_CHAIN_*), by name. */
export const chainAttrs = attrSet('nft.chain', {
  table: attr(T.NFTA_CHAIN_TABLE, nftName),
  handle: attr(T.NFTA_CHAIN_HANDLE, be64),
  name: attr(T.NFTA_CHAIN_NAME, nftName),
  hook: attr(T.NFTA_CHAIN_HOOK, nest(hookAttrs)),
  policy: attr(T.NFTA_CHAIN_POLICY, sbe32Of(chainPolicies)),
  use: attr(T.NFTA_CHAIN_USE, be32),
  type: attr(T.NFTA_CHAIN_TYPE, string),
  counters: attr(T.NFTA_CHAIN_COUNTERS, nest(counterAttrs)),
  flags: attr(T.NFTA_CHAIN_FLAGS, be32Of(chainFlags)),
  id: attr(T.NFTA_CHAIN_ID, be32),
  userdata: attr(T.NFTA_CHAIN_USERDATA, binary),
});

/** The attributes of nf_tables rule messages (NFTA_RULE_*), by name. */
export const ruleAttrs = attrSet('nft.rule', {
  table: attr(T.NFTA_RULE_TABLE, nftName),
  chain: attr(T.NFTA_RULE_CHAIN, nftName),
  handle: attr(T.NFTA_RULE_HANDLE, be64),
  expressions: attr(T.NFTA_RULE_EXPRESSIONS, expressions),
  position: attr(T.NFTA_RULE_POSITION, be64),
  userdata: attr(T.NFTA_RULE_USERDATA, binary),
  id: attr(T.NFTA_RULE_ID, be32),
  positionId: attr(T.NFTA_RULE_POSITION_ID, be32),
  chainId: attr(T.NFTA_RULE_CHAIN_ID, be32),
});

const fieldAttrs = attrSet('nft.set.field', { len: attr(T.NFTA_SET_FIELD_LEN, be32) });
const setDescAttrs = attrSet('nft.set.desc', {
  size: attr(T.NFTA_SET_DESC_SIZE, be32),
  concat: attr(T.NFTA_SET_DESC_CONCAT, indexedList(fieldAttrs)),
});

/** The attributes of nf_tables set messages (NFTA_SET_*), by name. */
export const setAttrs = attrSet('nft.set', {
  table: attr(T.NFTA_SET_TABLE, nftName),
  name: attr(T.NFTA_SET_NAME, nftName),
  flags: attr(T.NFTA_SET_FLAGS, be32Of(setFlags)),
  keyType: attr(T.NFTA_SET_KEY_TYPE, be32),
  keyLen: attr(T.NFTA_SET_KEY_LEN, be32),
  dataType: attr(T.NFTA_SET_DATA_TYPE, be32),
  dataLen: attr(T.NFTA_SET_DATA_LEN, be32),
  policy: attr(T.NFTA_SET_POLICY, be32),
  desc: attr(T.NFTA_SET_DESC, nest(setDescAttrs)),
  id: attr(T.NFTA_SET_ID, be32),
  /** Milliseconds. */
  timeout: attr(T.NFTA_SET_TIMEOUT, be64),
  gcInterval: attr(T.NFTA_SET_GC_INTERVAL, be32),
  userdata: attr(T.NFTA_SET_USERDATA, binary),
  objType: attr(T.NFTA_SET_OBJ_TYPE, be32Of(objectTypes)),
  handle: attr(T.NFTA_SET_HANDLE, be64),
  expr: attr(T.NFTA_SET_EXPR, binary),
  expressions: attr(T.NFTA_SET_EXPRESSIONS, expressions),
});

/** The attributes of one set element (NFTA_SET_ELEM_*), by name. */
export const elemAttrs = attrSet('nft.elem', {
  key: attr(T.NFTA_SET_ELEM_KEY, data),
  data: attr(T.NFTA_SET_ELEM_DATA, data),
  flags: attr(T.NFTA_SET_ELEM_FLAGS, be32),
  /** Milliseconds. */
  timeout: attr(T.NFTA_SET_ELEM_TIMEOUT, be64),
  expiration: attr(T.NFTA_SET_ELEM_EXPIRATION, be64),
  userdata: attr(T.NFTA_SET_ELEM_USERDATA, binary),
  expr: attr(T.NFTA_SET_ELEM_EXPR, binary),
  objref: attr(T.NFTA_SET_ELEM_OBJREF, nftName),
  keyEnd: attr(T.NFTA_SET_ELEM_KEY_END, data),
  expressions: attr(T.NFTA_SET_ELEM_EXPRESSIONS, expressions),
});
/** A set element, decoded. */
export type Elem = AttrsOut<typeof elemAttrs.specs>;
export type ElemInput = AttrsIn<typeof elemAttrs.specs>;

export const elemListAttrs = attrSet('nft.setelems', {
  table: attr(T.NFTA_SET_ELEM_LIST_TABLE, nftName),
  set: attr(T.NFTA_SET_ELEM_LIST_SET, nftName),
  elements: attr(T.NFTA_SET_ELEM_LIST_ELEMENTS, indexedList(elemAttrs)),
  setId: attr(T.NFTA_SET_ELEM_LIST_SET_ID, be32),
});

/** The attributes of nf_tables stateful object messages (NFTA_OBJ_*), by name. */
export const objAttrs = attrSet('nft.obj', {
  table: attr(T.NFTA_OBJ_TABLE, nftName),
  name: attr(T.NFTA_OBJ_NAME, nftName),
  type: attr(T.NFTA_OBJ_TYPE, be32Of(objectTypes)),
  /** The object's state, an expression's attributes (counter, quota, limit): decoded by type in object-data.ts. */
  data: attr(T.NFTA_OBJ_DATA, withNestFlag(binary)),
  use: attr(T.NFTA_OBJ_USE, be32),
  handle: attr(T.NFTA_OBJ_HANDLE, be64),
  userdata: attr(T.NFTA_OBJ_USERDATA, binary),
});

const flowtableHookAttrs = attrSet('nft.flowtable.hook', {
  num: attr(T.NFTA_FLOWTABLE_HOOK_NUM, be32),
  priority: attr(T.NFTA_FLOWTABLE_HOOK_PRIORITY, sbe32),
  devs: attr(T.NFTA_FLOWTABLE_HOOK_DEVS, nest(deviceList)),
});

/** The attributes of nf_tables flowtable messages (NFTA_FLOWTABLE_*), by name. */
export const flowtableAttrs = attrSet('nft.flowtable', {
  table: attr(T.NFTA_FLOWTABLE_TABLE, nftName),
  name: attr(T.NFTA_FLOWTABLE_NAME, nftName),
  hook: attr(T.NFTA_FLOWTABLE_HOOK, nest(flowtableHookAttrs)),
  use: attr(T.NFTA_FLOWTABLE_USE, be32),
  handle: attr(T.NFTA_FLOWTABLE_HANDLE, be64),
  flags: attr(T.NFTA_FLOWTABLE_FLAGS, be32),
});

export const genAttrs = attrSet('nft.gen', {
  id: attr(T.NFTA_GEN_ID, be32),
  procPid: attr(T.NFTA_GEN_PROC_PID, be32),
  procName: attr(T.NFTA_GEN_PROC_NAME, string),
});

