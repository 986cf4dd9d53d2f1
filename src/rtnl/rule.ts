// Routing policy rules (RTM_NEWRULE / RTM_DELRULE / RTM_GETRULE): the schema
// of a rule message — fib_rule_hdr plus FRA_* attributes, IPv4 and IPv6 alike.
// Attributes are declared in the order of `ip rule`'s usage text, which is
// the order request builders send them in.
import * as F from '../generated/linux/fib_rules.js';
import { be64, ip, mapped, s32, struct, u32, u8 } from '../netlink/codec.js';
import { type MessageIn, type MessageOut, attr, attrSet, field, messageSchema } from '../netlink/schema.js';
import { ifname, unsetWhen } from './codecs.js';
import { addressFamilies, routeProtocols, routeTables } from './names.js';
import { ruleActions, ruleFlags } from './rule-names.js';
import type { Decoder } from '../netlink/request.js';

/** The attributes of rule messages (FRA_*), by name. */
export const ruleAttrs = attrSet('rule', {
  /** Source prefix address; its length is the header's srcLen. */
  src: attr(F.FRA_SRC, ip),
  dst: attr(F.FRA_DST, ip),
  fwmark: attr(F.FRA_FWMARK, u32),
  fwmask: attr(F.FRA_FWMASK, u32),
  /** Input interface name (FRA_IIFNAME); the link need not exist yet. */
  iif: attr(F.FRA_IIFNAME, ifname),
  oif: attr(F.FRA_OIFNAME, ifname),
  priority: attr(F.FRA_PRIORITY, u32),
  l3mdev: attr(F.FRA_L3MDEV, u8),
  uidRange: attr(F.FRA_UID_RANGE, struct(F.fib_rule_uid_range)),
  ipProto: attr(F.FRA_IP_PROTO, u8),
  sportRange: attr(F.FRA_SPORT_RANGE, struct(F.fib_rule_port_range)),
  dportRange: attr(F.FRA_DPORT_RANGE, struct(F.fib_rule_port_range)),
  tunId: attr(F.FRA_TUN_ID, be64),
  /** The full table id; the kernel always reports it, requests carry it only beyond 255. */
  table: attr(F.FRA_TABLE, mapped(u32, routeTables)),
  protocol: attr(F.FRA_PROTOCOL, mapped(u8, routeProtocols)),
  /** Realms: (from << 16) | to. */
  flow: attr(F.FRA_FLOW, u32),
  /** Priority of the rule a goto action jumps to. */
  goto: attr(F.FRA_GOTO, u32),
  /** The kernel reports -1 for "not set"; that decodes as undefined. */
  suppressPrefixlength: attr(F.FRA_SUPPRESS_PREFIXLEN, unsetWhen(s32, -1)),
  suppressIfgroup: attr(F.FRA_SUPPRESS_IFGROUP, unsetWhen(s32, -1)),
});

/** The header fields of rule messages (struct fib_rule_hdr), by name. */
export const ruleHeader = {
  family: field('family', addressFamilies),
  dstLen: 'dst_len',
  srcLen: 'src_len',
  tos: 'tos',
  /** The header's 8-bit copy of the table id (RT_TABLE_COMPAT beyond 255); `table` has the full id. */
  headerTable: field('table', routeTables),
  action: field('action', ruleActions),
  flags: field('flags', ruleFlags),
} as const;

export const ruleMessage = messageSchema('rule', F.fib_rule_hdr, ruleHeader, ruleAttrs);

/** A rule as the kernel describes it. Absent attributes are undefined, never 0. */
export interface Rule extends MessageOut<typeof ruleHeader, typeof ruleAttrs.specs> {}
/** What a rule request may carry: any header field or attribute. */
export interface RuleInput extends MessageIn<typeof ruleHeader, typeof ruleAttrs.specs> {}

/** Decodes one rule message (header included). */
export const decodeRule: Decoder<Rule> = (buf, start, length) => ruleMessage.decodeMessage(buf, start, length);
