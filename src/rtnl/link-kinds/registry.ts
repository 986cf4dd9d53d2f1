// The link kinds this version models, one module each (schema, words,
// printer). Adding a kind is one module plus one line here; nothing registers
// itself on import. The library's encoder, the CLI's `type KIND` words and
// `ip -d -j` printers all read this table (docs/architecture.md, "Kinds").
import { bond } from './bond.js';
import { bridge } from './bridge.js';
import { dummy } from './dummy.js';
import { geneve } from './geneve.js';
import { gre, gretap } from './gre.js';
import { ip6gre, ip6gretap } from './gre6.js';
import { ip6tnl } from './ip6tnl.js';
import { ifb } from './ifb.js';
import { ipip, sit } from './iptnl.js';
import { type LinkKind, kindTable } from './kind.js';
import { ipvlan, ipvtap } from './ipvlan.js';
import { macsec } from './macsec.js';
import { macvlan, macvtap } from './macvlan.js';
import { nlmon } from './nlmon.js';
import { tun } from './tun.js';
import { team } from './team.js';
import { vcan } from './vcan.js';
import { veth, vxcan } from './veth.js';
import { vlan } from './vlan.js';
import { vrf } from './vrf.js';
import { vxlan } from './vxlan.js';
import { wireguard } from './wireguard.js';
import { xfrm } from './xfrm.js';

/** The link kinds this version knows (veth, bridge, vxlan, vlan, bond...): each kind's data schema, words and printer. */
export const linkKinds = kindTable({
  veth,
  bridge,
  macvlan,
  vxlan,
  ifb,
  tun,
  dummy,
  vlan,
  bond,
  vrf,
  macvtap,
  ipvlan,
  ipvtap,
  vcan,
  vxcan,
  nlmon,
  xfrm,
  gre,
  gretap,
  ipip,
  sit,
  geneve,
  ip6gre,
  ip6gretap,
  ip6tnl,
  macsec,
  wireguard,
  team,
});

/** The link kind registry's type: each known kind's module, by kind name. */
export type LinkKinds = typeof linkKinds;
/** A link kind this version has a schema for. */
export type KnownLinkKind = keyof LinkKinds;

/** The kind module named by IFLA_INFO_KIND (or `type KIND`), if this version models it. */
export function linkKindOf(name: string): LinkKind | undefined {
  return Object.hasOwn(linkKinds, name) ? (linkKinds[name as KnownLinkKind] as LinkKind) : undefined;
}
