// One nf_tables message, whole: its nfgenmsg (the table's family) and the
// attributes of its kind, chosen by the message type. Used by the dump
// decoders, by events, and by tests that read what nft sends.
import * as T from '../generated/linux/netfilter/nf_tables.js';
import { NFNL_SUBSYS_NFTABLES } from '../generated/linux/netfilter/nfnetlink.js';
import type { DecodeIssue } from '../netlink/errors.js';
import { encodeAttrsChecked } from '../netlink/narrow.js';
import type { AttrSet, AttrsIn, AttrsOut } from '../netlink/schema.js';
import { NLMSG_HDRLEN, type NetlinkWriter } from '../netlink/writer.js';
import { NFGENMSG_LEN, msgOf, subsysOf, writeNfgenmsg } from '../nfnetlink/header.js';
import { chainAttrs, elemListAttrs, flowtableAttrs, genAttrs, objAttrs, ruleAttrs, setAttrs, tableAttrs } from './objects.js';
import { type NftFamily, nftFamilies } from './names.js';

/** An nf_tables table message, decoded (NFTA_TABLE_*). */
export type NftTable = AttrsOut<typeof tableAttrs.specs>;
/** An nf_tables chain message, decoded (NFTA_CHAIN_*). */
export type NftChain = AttrsOut<typeof chainAttrs.specs>;
/** An nf_tables rule message, decoded (NFTA_RULE_*), its expressions included. */
export type NftRule = AttrsOut<typeof ruleAttrs.specs>;
/** An nf_tables set message, decoded (NFTA_SET_*). */
export type NftSet = AttrsOut<typeof setAttrs.specs>;
export type NftElems = AttrsOut<typeof elemListAttrs.specs>;
/** An nf_tables stateful object message, decoded (NFTA_OBJ_*). */
export type NftObj = AttrsOut<typeof objAttrs.specs>;
/** An nf_tables flowtable message, decoded (NFTA_FLOWTABLE_*). */
export type NftFlowtable = AttrsOut<typeof flowtableAttrs.specs>;
export type NftGen = AttrsOut<typeof genAttrs.specs>;

export type NftTableInput = AttrsIn<typeof tableAttrs.specs>;
export type NftChainInput = AttrsIn<typeof chainAttrs.specs>;
export type NftRuleInput = AttrsIn<typeof ruleAttrs.specs>;
export type NftSetInput = AttrsIn<typeof setAttrs.specs>;
export type NftElemsInput = AttrsIn<typeof elemListAttrs.specs>;
export type NftObjInput = AttrsIn<typeof objAttrs.specs>;
export type NftFlowtableInput = AttrsIn<typeof flowtableAttrs.specs>;

/** Message kinds by their NFT_MSG_* numbers: new, get and del share one attribute set. */
export const KIND_OF_MSG: Readonly<Record<number, { kind: NftKind; verb: 'new' | 'get' | 'del' }>> = {
  [T.NFT_MSG_NEWTABLE]: { kind: 'table', verb: 'new' }, [T.NFT_MSG_GETTABLE]: { kind: 'table', verb: 'get' }, [T.NFT_MSG_DELTABLE]: { kind: 'table', verb: 'del' },
  [T.NFT_MSG_NEWCHAIN]: { kind: 'chain', verb: 'new' }, [T.NFT_MSG_GETCHAIN]: { kind: 'chain', verb: 'get' }, [T.NFT_MSG_DELCHAIN]: { kind: 'chain', verb: 'del' },
  [T.NFT_MSG_NEWRULE]: { kind: 'rule', verb: 'new' }, [T.NFT_MSG_GETRULE]: { kind: 'rule', verb: 'get' }, [T.NFT_MSG_DELRULE]: { kind: 'rule', verb: 'del' },
  [T.NFT_MSG_NEWSET]: { kind: 'set', verb: 'new' }, [T.NFT_MSG_GETSET]: { kind: 'set', verb: 'get' }, [T.NFT_MSG_DELSET]: { kind: 'set', verb: 'del' },
  [T.NFT_MSG_NEWSETELEM]: { kind: 'elements', verb: 'new' }, [T.NFT_MSG_GETSETELEM]: { kind: 'elements', verb: 'get' }, [T.NFT_MSG_DELSETELEM]: { kind: 'elements', verb: 'del' },
  [T.NFT_MSG_NEWOBJ]: { kind: 'object', verb: 'new' }, [T.NFT_MSG_GETOBJ]: { kind: 'object', verb: 'get' }, [T.NFT_MSG_DELOBJ]: { kind: 'object', verb: 'del' },
  [T.NFT_MSG_NEWFLOWTABLE]: { kind: 'flowtable', verb: 'new' }, [T.NFT_MSG_GETFLOWTABLE]: { kind: 'flowtable', verb: 'get' }, [T.NFT_MSG_DELFLOWTABLE]: { kind: 'flowtable', verb: 'del' },
  [T.NFT_MSG_NEWGEN]: { kind: 'gen', verb: 'new' }, [T.NFT_MSG_GETGEN]: { kind: 'gen', verb: 'get' },
};

export const ATTRS_OF_KIND = {
  table: tableAttrs, chain: chainAttrs, rule: ruleAttrs, set: setAttrs, elements: elemListAttrs,
  object: objAttrs, flowtable: flowtableAttrs, gen: genAttrs,
} as const;
export type NftKind = keyof typeof ATTRS_OF_KIND;

type Of<K extends NftKind> = AttrsOut<(typeof ATTRS_OF_KIND)[K] extends AttrSet<infer S> ? S : never>;

/** A decoded nf_tables message: the kind, the verb, the table family and the attributes. */
export type NftMessage = { [K in NftKind]: { kind: K; verb: 'new' | 'get' | 'del'; family: NftFamily | number; attrs: Of<K>; issues?: DecodeIssue[] } }[NftKind];

/** Decodes one message (nlmsghdr included); undefined for a type that is not nf_tables'. */
export function decodeNftMessage(buf: Buffer, start: number, length: number): NftMessage | undefined {
  if (length < NLMSG_HDRLEN + NFGENMSG_LEN) return undefined;
  const type = buf.readUInt16LE(start + 4);
  const k = KIND_OF_MSG[msgOf(type)];
  if (k === undefined || subsysOf(type) !== NFNL_SUBSYS_NFTABLES) return undefined;
  const issues: DecodeIssue[] = [];
  const family = nftFamilies.decode(buf[start + NLMSG_HDRLEN]!);
  const attrs = ATTRS_OF_KIND[k.kind].decode(buf, start + NLMSG_HDRLEN + NFGENMSG_LEN, start + length, issues);
  // The attributes' type follows the kind read from the message type.
  const out = { kind: k.kind, verb: k.verb, family, attrs } as NftMessage;
  if (issues.length > 0) out.issues = issues;
  return out;
}

/** Writes a message's payload: nfgenmsg (family, version 0, res_id 0) and the attributes of its kind. */
export function encodeNftPayload<K extends NftKind>(w: NetlinkWriter, kind: K, family: NftFamily | number, attrs: Record<string, unknown>, resId = 0): void {
  const fam = typeof family === 'number' ? family : nftFamilies.encode(family, `nft.${kind}.family`);
  writeNfgenmsg(w, fam, resId);
  encodeAttrsChecked(ATTRS_OF_KIND[kind], w, attrs, `nft.${kind}`);
}
