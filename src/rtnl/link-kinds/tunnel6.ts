// What the IPv6 tunnel kinds share (ip6tnl, ip6gre, ip6gretap; iproute2's
// link_ip6tnl.c and link_gre6.c): the IP6_TNL_F_* flags, the flow info word
// (traffic class and flow label), the encapsulation limit, and how they are
// worded and printed.
import * as T6 from '../../generated/linux/ip6_tunnel.js';
import { flagsMap } from '../../netlink/codec.js';
import { hex0x } from '../json-values.js';
import type { Json } from './kind.js';
import { type Encap, noEncap } from './tunnel.js';
import { type Words, num, parseUnsigned } from '../words.js';

export const ip6TnlFlags = flagsMap('ip6 tunnel flag', {
  ign_encap_limit: T6.IP6_TNL_F_IGN_ENCAP_LIMIT, use_orig_tclass: T6.IP6_TNL_F_USE_ORIG_TCLASS,
  use_orig_flowlabel: T6.IP6_TNL_F_USE_ORIG_FLOWLABEL, mip6_dev: T6.IP6_TNL_F_MIP6_DEV,
  rcv_dscp_copy: T6.IP6_TNL_F_RCV_DSCP_COPY, use_orig_fwmark: T6.IP6_TNL_F_USE_ORIG_FWMARK,
  allow_local_remote: T6.IP6_TNL_F_ALLOW_LOCAL_REMOTE,
});
/** The flags in the kernel's bit order. */
const FLAG_ORDER = ['ign_encap_limit', 'use_orig_tclass', 'use_orig_flowlabel', 'mip6_dev', 'rcv_dscp_copy', 'use_orig_fwmark', 'allow_local_remote'] as const;
export type Ip6TnlFlag = (typeof FLAG_ORDER)[number];

// The parts of the IPv6 header's first word in IFLA_*_FLOWINFO (a be32):
// iproute2's IP6_FLOWINFO_TCLASS and IP6_FLOWINFO_FLOWLABEL.
const TCLASS_SHIFT = 20;
const FLOWLABEL_MASK = 0xfffff;

/** What the words leave: iproute2's defaults are hop limit 64, encap limit 4, and udp6 checksums on for fou/gue. */
export interface Ip6Tunnel {
  hoplimit: number;
  encapLimit: number;
  flowinfo: number;
  flags: Set<Ip6TnlFlag>;
  fwmark: number;
  encap: Encap;
}
export function ip6Defaults(): Ip6Tunnel {
  return { hoplimit: 64, encapLimit: T6.IPV6_DEFAULT_TNL_ENCAP_LIMIT, flowinfo: 0, flags: new Set(), fwmark: 0, encap: { ...noEncap(), flags: ['csum6'] } };
}

/** `hoplimit N|inherit` (inherit is 0). */
export function hoplimitValue(v: string): number {
  return v === 'inherit' ? 0 : num(v, 'HLIM', 'u8');
}

/** `tclass HEX|inherit`. */
export function tclassWord(w: Words, v: string, t: Ip6Tunnel): void {
  t.flowinfo = (t.flowinfo & ~(0xff << TCLASS_SHIFT)) >>> 0;
  if (v === 'inherit') { t.flags.add('use_orig_tclass'); return; }
  const n = parseUnsigned(v, 16);
  if (n === undefined || n > 0xff) w.fail(`invalid TClass "${v}"`);
  t.flowinfo = (t.flowinfo | (n << TCLASS_SHIFT)) >>> 0;
  t.flags.delete('use_orig_tclass');
}

/** The words both kinds take alike (spelled out whole); false when `x` is not one. */
export function ip6Word(x: string, w: Words, t: Ip6Tunnel): boolean {
  if (x === 'encaplimit') {
    const v = w.value(x);
    if (v === 'none') t.flags.add('ign_encap_limit');
    else { t.encapLimit = num(v, 'ELIM', 'u8'); t.flags.delete('ign_encap_limit'); }
  } else if (x === 'flowlabel' || x === 'fl') {
    const v = w.value(x);
    t.flowinfo = (t.flowinfo & ~FLOWLABEL_MASK) >>> 0;
    if (v === 'inherit') t.flags.add('use_orig_flowlabel');
    else {
      const n = parseUnsigned(v, 16);
      if (n === undefined || n > FLOWLABEL_MASK) w.fail(`invalid Flowlabel "${v}"`);
      t.flowinfo = (t.flowinfo | n) >>> 0;
      t.flags.delete('use_orig_flowlabel');
    }
  } else if (x === 'dscp') {
    const v = w.value(x);
    if (v !== 'inherit') w.fail(`dscp: expected "inherit", got "${v}"`);
    t.flags.add('rcv_dscp_copy');
  } else if (x === 'fwmark') {
    const v = w.value(x);
    if (v === 'inherit') { t.flags.add('use_orig_fwmark'); t.fwmark = 0; }
    else { t.fwmark = num(v, 'fwmark'); t.flags.delete('use_orig_fwmark'); }
  } else if (x === 'allow-localremote') t.flags.add('allow_local_remote');
  else if (x === 'noallow-localremote') t.flags.delete('allow_local_remote');
  else return false;
  return true;
}

export const flagList = (s: Set<Ip6TnlFlag>): Ip6TnlFlag[] => FLAG_ORDER.filter((f) => s.has(f));

interface Ip6Printed {
  flags?: readonly string[];
  flowinfo?: number;
  encapLimit?: number;
  ttl?: number;
}

/** hoplimit, encaplimit, tclass, flowlabel and dscp as ip6tunnel_print_opt / ip6gre's gre_print_opt print them. */
export function ip6HeadJson(d: Ip6Printed, o: Record<string, Json | undefined>): void {
  const f = d.flags ?? [];
  o.ttl = d.ttl ?? 0;
  if (f.includes('ign_encap_limit')) o.ip6_tnl_f_ign_encap_limit = true;
  else if (d.encapLimit !== undefined) o.encap_limit = d.encapLimit;
  if (f.includes('use_orig_tclass')) o.ip6_tnl_f_use_orig_tclass = true;
  else if (d.flowinfo !== undefined) o.tclass = `0x${((d.flowinfo >>> TCLASS_SHIFT) & 0xff).toString(16).padStart(2, '0')}`;
  if (f.includes('use_orig_flowlabel')) o.ip6_tnl_f_use_orig_flowlabel = true;
  else if (d.flowinfo !== undefined) o.flowlabel = `0x${(d.flowinfo & FLOWLABEL_MASK).toString(16).padStart(5, '0')}`;
  if (f.includes('rcv_dscp_copy')) o.ip6_tnl_f_rcv_dscp_copy = true;
}

/** allow-localremote and fwmark, as both print them. */
export function ip6TailJson(d: Ip6Printed & { fwmark?: number }, o: Record<string, Json | undefined>): void {
  const f = d.flags ?? [];
  if (f.includes('allow_local_remote')) o.ip6_tnl_f_allow_local_remote = true;
  if (f.includes('use_orig_fwmark')) o.ip6_tnl_f_use_orig_fwmark = true;
  else if (d.fwmark) o.fwmark = hex0x(d.fwmark);
}
