// `type bond ...` words (iproute2's iplink_bond.c), for the options the
// bond schema models.
import { bondModeNumbers, bondXmitHashPolicyNumbers } from '../../rtnl/link-kinds/bond.js';
import type { Words } from '../../rtnl/words.js';
import type { KindArgs, WordTable } from './kind-args.js';
import { readTable, text, u16, u32, u8 } from './table.js';

/** iproute2's get_index: a name from the table, or the number it stands for. */
function fromTable(table: Readonly<Record<string, number>>, what: string) {
  return (x: string, w: Words): string => {
    const v = w.value(x);
    const byNumber = Object.keys(table).find((k) => /^\d+$/.test(v) && table[k] === Number(v));
    if (byNumber !== undefined) return byNumber;
    if (Object.hasOwn(table, v)) return v;
    return w.fail(`invalid ${what} "${v}" (${Object.keys(table).join(', ')})`);
  };
}

const BOND: WordTable = [
  ['mode', 'mode', fromTable(bondModeNumbers, 'mode')],
  ['active_slave', 'activeSlave', text()],
  ['clear_active_slave', 'activeSlave', () => 0],
  ['miimon', 'miimon', u32('miimon')],
  ['updelay', 'updelay', u32('updelay')],
  ['downdelay', 'downdelay', u32('downdelay')],
  ['peer_notify_delay', 'peerNotifDelay', u32('peer_notify_delay')],
  ['use_carrier', 'useCarrier', u8('use_carrier')],
  ['arp_interval', 'arpInterval', u32('arp_interval')],
  ['arp_missed_max', 'missedMax', u8('arp_missed_max'), true],
  ['primary', 'primary', text()],
  ['xmit_hash_policy', 'xmitHashPolicy', fromTable(bondXmitHashPolicyNumbers, 'xmit_hash_policy')],
  ['resend_igmp', 'resendIgmp', u32('resend_igmp')],
  ['num_grat_arp', 'numPeerNotif', u8('num_grat_arp')],
  ['num_unsol_na', 'numPeerNotif', u8('num_unsol_na')],
  ['all_slaves_active', 'allSlavesActive', u8('all_slaves_active')],
  ['min_links', 'minLinks', u32('min_links')],
  ['lp_interval', 'lpInterval', u32('lp_interval')],
  ['packets_per_slave', 'packetsPerSlave', u32('packets_per_slave')],
  ['ad_user_port_key', 'adUserPortKey', u16('ad_user_port_key')],
  ['ad_actor_sys_prio', 'adActorSysPrio', u16('ad_actor_sys_prio')],
  ['ad_actor_system', 'adActorSystem', text()],
  ['tlb_dynamic_lb', 'tlbDynamicLb', u8('tlb_dynamic_lb')],
];

export const bondArgs: KindArgs = async (w, ctx) => {
  const data = readTable(w, BOND);
  // active_slave and primary name links: their indexes go in their places.
  for (const key of ['activeSlave', 'primary']) {
    if (typeof data[key] === 'string') data[key] = await ctx.index(data[key] as string);
  }
  return data;
};
