// Namespace ids (RTM_NEWNSID / RTM_GETNSID / RTM_DELNSID): the number by
// which one network namespace knows another (`ip netns set NAME ID`,
// `ip netns list-id`). An rtgenmsg header plus NETNSA_* attributes.
import * as N from '../generated/linux/net_namespace.js';
import { rtgenmsg } from '../generated/linux/rtnetlink.js';
import { s32, u32 } from '../netlink/codec.js';
import { type MessageIn, type MessageOut, attr, attrSet, field, messageSchema } from '../netlink/schema.js';
import { addressFamilies } from './names.js';
import type { Decoder } from '../netlink/request.js';

/** The attributes of namespace id messages (NETNSA_*), by name. */
export const nsidAttrs = attrSet('nsid', {
  /** The id; -1 (NETNSA_NSID_NOT_ASSIGNED) when none is assigned. In a request: the id to assign (-1: any). */
  nsid: attr(N.NETNSA_NSID, s32),
  /** The namespace of this process (request). */
  pid: attr(N.NETNSA_PID, u32),
  /** The namespace behind this fd of the requesting process (request). */
  fd: attr(N.NETNSA_FD, u32),
  /** Ask about the ids as this other namespace (known here by this id) sees them. */
  targetNsid: attr(N.NETNSA_TARGET_NSID, s32),
  /** With targetNsid: the id of the namespace in ours. */
  currentNsid: attr(N.NETNSA_CURRENT_NSID, s32),
});

/** The header fields of namespace id messages (struct rtgenmsg), by name. */
export const nsidHeader = { family: field('rtgen_family', addressFamilies) } as const;

export const nsidMessage = messageSchema('nsid', rtgenmsg, nsidHeader, nsidAttrs);

/** A namespace id message, decoded. */
export interface NsidMessage extends MessageOut<typeof nsidHeader, typeof nsidAttrs.specs> {}
export interface NsidInput extends MessageIn<typeof nsidHeader, typeof nsidAttrs.specs> {}

/** Decodes one nsidMessage message (header included). */
export const decodeNsid: Decoder<NsidMessage> = (buf, start, length) => nsidMessage.decodeMessage(buf, start, length);
