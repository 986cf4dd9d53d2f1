// IPv6 address labels (RTM_NEWADDRLABEL / RTM_DELADDRLABEL / RTM_GETADDRLABEL,
// `ip addrlabel`): the RFC 6724 policy table that source address selection
// consults. struct ifaddrlblmsg (family, prefix length, device) plus
// IFAL_ADDRESS and IFAL_LABEL.
import * as L from '../generated/linux/if_addrlabel.js';
import { ip, u32 } from '../netlink/codec.js';
import { type MessageIn, type MessageOut, attr, attrSet, field, messageSchema } from '../netlink/schema.js';
import type { Decoder } from '../netlink/request.js';
import { addressFamilies } from './names.js';

/** The attributes of address label messages (IFAL_*), by name. */
export const addrlabelAttrs = attrSet('addrlabel', {
  /** The label; ip sends it first. */
  label: attr(L.IFAL_LABEL, u32),
  /** The prefix's address; its length is the header's prefixLen. */
  address: attr(L.IFAL_ADDRESS, ip),
});

/** The header fields of address label messages (struct ifaddrlblmsg), by name. */
export const addrlabelHeader = {
  family: field('ifal_family', addressFamilies),
  prefixLen: 'ifal_prefixlen',
  flags: 'ifal_flags',
  /** The device the label applies to; 0 for every device. */
  ifindex: 'ifal_index',
  /** The table's generation (the kernel's, in dumps). */
  seq: 'ifal_seq',
} as const;

/** The schema of address label messages. */
export const addrlabelMessage = messageSchema('addrlabel', L.ifaddrlblmsg, addrlabelHeader, addrlabelAttrs);

/** One entry of the label table. */
export interface Addrlabel extends MessageOut<typeof addrlabelHeader, typeof addrlabelAttrs.specs> {}
/** What an address label request may carry. */
export interface AddrlabelMessage extends MessageIn<typeof addrlabelHeader, typeof addrlabelAttrs.specs> {}

/** Decodes an address label message (RTM_NEWADDRLABEL). */
export const decodeAddrlabel: Decoder<Addrlabel> = (buf, start, length) => addrlabelMessage.decodeMessage(buf, start, length);
