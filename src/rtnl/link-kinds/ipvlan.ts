// ipvlan and ipvtap: links that share their parent's MAC address and are told
// apart by IP address (ipvtap adds a tap character device). One schema, words
// and printer for both, as iproute2's iplink_ipvlan.c; the parent is the
// link's IFLA_LINK (`link DEV`).
import * as L from '../../generated/linux/if_link.js';
import { enumMap, mapped, u16 } from '../../netlink/codec.js';
import { type AttrsOut, attr, attrSet } from '../../netlink/schema.js';
import { type Json, type KindJson, type KindWords, linkKind } from './kind.js';
import { matches } from '../words.js';

export const ipvlanModes = enumMap('ipvlan mode', { l2: L.IPVLAN_MODE_L2, l3: L.IPVLAN_MODE_L3, l3s: L.IPVLAN_MODE_L3S });
/** How ports of one parent reach each other: bridge (no flag), private or vepa. */
export const ipvlanPortModes = enumMap('ipvlan flags', { bridge: 0, private: L.IPVLAN_F_PRIVATE, vepa: L.IPVLAN_F_VEPA });

export const ipvlanData = attrSet('ipvlan', {
  mode: attr(L.IFLA_IPVLAN_MODE, mapped(u16, ipvlanModes)),
  /** bridge, private or vepa (IPVLAN_F_*). */
  flags: attr(L.IFLA_IPVLAN_FLAGS, mapped(u16, ipvlanPortModes)),
});

/** `type ipvlan [mode l2|l3|l3s] [bridge|private|vepa]`: the flags always go last, 0 when none is given. */
const ipvlanWords: KindWords = async (w) => {
  const data: Record<string, unknown> = {};
  let flags: 'bridge' | 'private' | 'vepa' | undefined;
  while (!w.done) {
    const x = w.next();
    if (matches(x, 'mode')) {
      const v = w.value(x);
      if (v !== 'l2' && v !== 'l3' && v !== 'l3s') w.fail('argument of "mode" must be either "l2", "l3" or "l3s"');
      data.mode = v;
    } else if (flags === undefined && matches(x, 'private')) flags = 'private';
    else if (flags === undefined && matches(x, 'vepa')) flags = 'vepa';
    else if (flags === undefined && matches(x, 'bridge')) flags = 'bridge';
    else w.fail(`unknown option "${x}"`);
  }
  data.flags = flags ?? 'bridge';
  return data;
};

/** A flags value with both bits set prints as private, as iproute2 prints it. */
function portMode(f: 'bridge' | 'private' | 'vepa' | number): 'bridge' | 'private' | 'vepa' {
  if (typeof f === 'string') return f;
  return f & L.IPVLAN_F_PRIVATE ? 'private' : f & L.IPVLAN_F_VEPA ? 'vepa' : 'bridge';
}

/** iproute2 6.1's ipvlan_print_opt. */
const ipvlanJson: KindJson<AttrsOut<typeof ipvlanData.specs>> = (d) => {
  const o: Record<string, Json | undefined> = {};
  if (d.mode !== undefined) o.mode = typeof d.mode === 'string' ? d.mode : 'unknown';
  if (d.flags !== undefined) o[portMode(d.flags)] = true;
  return o;
};

export const ipvlan = linkKind('ipvlan', { data: ipvlanData, words: ipvlanWords, json: ipvlanJson });
export const ipvtap = linkKind('ipvtap', { data: ipvlanData, words: ipvlanWords, json: ipvlanJson });
