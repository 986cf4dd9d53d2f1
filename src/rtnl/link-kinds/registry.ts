// The link kinds this version models, one module each. Adding a kind is one
// module plus one line here; nothing registers itself on import.
import { bond } from './bond.js';
import { bridge } from './bridge.js';
import { dummy } from './dummy.js';
import { ifb } from './ifb.js';
import { macvlan } from './macvlan.js';
import { tun } from './tun.js';
import { veth } from './veth.js';
import { vlan } from './vlan.js';
import { vrf } from './vrf.js';
import { vxlan } from './vxlan.js';

export const linkKinds = {
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
} as const;

export type LinkKinds = typeof linkKinds;
export type KnownLinkKind = keyof LinkKinds;
