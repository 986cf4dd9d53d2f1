// vlan: pops, pushes or modifies a VLAN tag, or pops/pushes an Ethernet
// header (`action vlan push id 100 protocol 802.1ad priority 3`).
import { ETH_P_8021AD, ETH_P_8021Q } from '../../../generated/linux/if_ether.js';
import { TC_ACT_PIPE, tcf_t } from '../../../generated/linux/pkt_cls.js';
import {
  TCA_VLAN_ACT_MODIFY, TCA_VLAN_ACT_POP, TCA_VLAN_ACT_POP_ETH, TCA_VLAN_ACT_PUSH, TCA_VLAN_ACT_PUSH_ETH, TCA_VLAN_PARMS,
  TCA_VLAN_PUSH_ETH_DST, TCA_VLAN_PUSH_ETH_SRC, TCA_VLAN_PUSH_VLAN_ID, TCA_VLAN_PUSH_VLAN_PRIORITY, TCA_VLAN_PUSH_VLAN_PROTOCOL,
  TCA_VLAN_TM, tc_vlan,
} from '../../../generated/linux/tc_act/tc_vlan.js';
import { be16, hwaddr, struct, u16, u8 } from '../../../netlink/codec.js';
import { EncodeError } from '../../../netlink/errors.js';
import { attr, attrSet } from '../../../netlink/schema.js';
import type { ActionKind, ActionPrint } from '../kind.js';
import { checkKeys, intOption, optionsObject } from '../options.js';
import { parseProtocol, protocolName } from '../protocols.js';
import { type ActionCommon, type ActionCommonInput, commonOf, commonOut, commonParms, commonWords, oneOf } from './generic.js';
import { type Words, UsageError, cNumber, matches } from '../../words.js';

const vlanAttrs = attrSet('vlan', {
  tm: attr(TCA_VLAN_TM, struct(tcf_t)),
  parms: attr(TCA_VLAN_PARMS, struct(tc_vlan)),
  id: attr(TCA_VLAN_PUSH_VLAN_ID, u16),
  protocol: attr(TCA_VLAN_PUSH_VLAN_PROTOCOL, be16),
  priority: attr(TCA_VLAN_PUSH_VLAN_PRIORITY, u8),
  dstMac: attr(TCA_VLAN_PUSH_ETH_DST, hwaddr),
  srcMac: attr(TCA_VLAN_PUSH_ETH_SRC, hwaddr),
});

/** What the vlan action does, in tc's words (`action vlan pop|push|modify|pop_eth|push_eth`). */
export type VlanAction = 'pop' | 'push' | 'modify' | 'pop_eth' | 'push_eth';
const VACTIONS: readonly (readonly [VlanAction, number])[] = [
  ['pop', TCA_VLAN_ACT_POP], ['push', TCA_VLAN_ACT_PUSH], ['modify', TCA_VLAN_ACT_MODIFY], ['pop_eth', TCA_VLAN_ACT_POP_ETH], ['push_eth', TCA_VLAN_ACT_PUSH_ETH],
];

export interface VlanOptions extends ActionCommon {
  vlanAction: VlanAction | number;
  id?: number;
  protocol?: string | number;
  priority?: number;
  dstMac?: string;
  srcMac?: string;
}

export interface VlanOptionsInput extends ActionCommonInput {
  /** Required unless binding an existing action by index. */
  vlanAction?: VlanAction;
  /** push/modify: the VLAN id (required). */
  id?: number;
  /** push/modify: '802.1Q' (default) or '802.1ad'. */
  protocol?: string | number;
  priority?: number;
  /** push_eth: both addresses. */
  dstMac?: string;
  srcMac?: string;
}

// ── tc words and printer ──

function vlanWords(w: Words): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (;;) {
    const k = w.peek();
    if (k === undefined) break;
    // tc tries "pop" before "pop_eth": a prefix picks the first that fits.
    const act = VACTIONS.find(([n]) => matches(k, n));
    if (act) {
      if (o.vlanAction !== undefined) throw new UsageError(`vlan: unexpected "${k}"`);
      w.next();
      o.vlanAction = act[0];
      continue;
    }
    if (matches(k, 'id')) { w.next(); o.id = cNumber(w.value(k), 'vlan id'); }
    else if (matches(k, 'protocol')) { w.next(); o.protocol = w.value(k); }
    else if (matches(k, 'priority')) { w.next(); o.priority = cNumber(w.value(k), 'vlan priority'); }
    else if (matches(k, 'dst_mac')) { w.next(); o.dstMac = w.value(k); }
    else if (matches(k, 'src_mac')) { w.next(); o.srcMac = w.value(k); }
    else break;
  }
  return commonWords(w, o, 'vlan');
}

const printVlan: ActionPrint<VlanOptions> = (p, o, ctx) => {
  p.any('vlan_action', String(o.vlanAction), ` ${String(o.vlanAction)}`);
  if (o.vlanAction === 'push' || o.vlanAction === 'modify') {
    p.any('id', o.id, ` id ${o.id}`).any('protocol', o.protocol === undefined ? undefined : String(o.protocol), ` protocol ${String(o.protocol)}`)
      .any('priority', o.priority, ` priority ${o.priority}`);
  } else if (o.vlanAction === 'push_eth') {
    p.any('dst_mac', o.dstMac, ` dst_mac ${o.dstMac}`).any('src_mac', o.srcMac, ` src_mac ${o.srcMac}`);
  }
  commonOut(p, o, ctx);
};

export const vlan: ActionKind<VlanOptions, VlanOptionsInput> = {
  kind: 'vlan',
  words: vlanWords,
  print: printVlan,
  options: {
    encode(w, value, _ctx, path) {
      const v = optionsObject(value, path);
      checkKeys(v, ['vlanAction', 'id', 'protocol', 'priority', 'dstMac', 'srcMac', 'control', 'index'], path, 'vlan');
      const name = v.vlanAction === undefined ? undefined : oneOf(v.vlanAction, VACTIONS.map(([n]) => n), `${path}.vlanAction`);
      if (name === undefined && v.index === undefined) throw new EncodeError(`${path}.vlanAction`, 'vlan needs pop, push, modify, pop_eth or push_eth (or the index of an existing action)');
      const push = name === 'push' || name === 'modify';
      for (const k of ['id', 'protocol', 'priority']) if (v[k] !== undefined && !push) throw new EncodeError(`${path}.${k}`, 'only valid for push/modify');
      for (const k of ['dstMac', 'srcMac']) {
        if (v[k] !== undefined && name !== 'push_eth') throw new EncodeError(`${path}.${k}`, 'only valid for push_eth');
        if (v[k] === undefined && name === 'push_eth') throw new EncodeError(`${path}.${k}`, 'push_eth needs dstMac and srcMac');
      }
      if (push && v.id === undefined) throw new EncodeError(`${path}.id`, `${name} needs a VLAN id`);
      const protocol = v.protocol === undefined ? undefined : parseProtocol(v.protocol, `${path}.protocol`);
      if (protocol !== undefined && protocol !== ETH_P_8021Q && protocol !== ETH_P_8021AD) throw new EncodeError(`${path}.protocol`, 'the protocol is 802.1Q or 802.1ad');
      vlanAttrs.encode(w, {
        parms: { ...commonParms(v, TC_ACT_PIPE, path), v_action: VACTIONS.find(([n]) => n === name)?.[1] ?? 0 },
        id: v.id === undefined ? undefined : intOption(v.id, `${path}.id`, 0, 0xffff),
        protocol,
        priority: v.priority === undefined ? undefined : intOption(v.priority, `${path}.priority`, 0, 7),
        dstMac: v.dstMac === undefined ? undefined : String(v.dstMac),
        srcMac: v.srcMac === undefined ? undefined : String(v.srcMac),
      }, path);
    },
    decode(buf, start, end, issues, path) {
      const a = vlanAttrs.decode(buf, start, end, issues, path);
      const va = a.parms?.v_action ?? 0;
      const out: VlanOptions = { ...commonOf(a.parms, a.tm, issues, path, 'vlan'), vlanAction: VACTIONS.find(([, n]) => n === va)?.[0] ?? va };
      if (a.id !== undefined) out.id = a.id;
      if (a.protocol !== undefined) out.protocol = protocolName(a.protocol);
      if (a.priority !== undefined) out.priority = a.priority;
      if (a.dstMac !== undefined) out.dstMac = a.dstMac;
      if (a.srcMac !== undefined) out.srcMac = a.srcMac;
      return out;
    },
  },
};
