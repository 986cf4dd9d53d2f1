// `ip link set dev X vf N [mac M] [vlan V [qos Q] [proto P]]... [rate R]
// [max_tx_rate R] [min_tx_rate R] [spoofchk on|off] [query_rss on|off]
// [trust on|off] [state auto|enable|disable] [node_guid G] [port_guid G]`:
// IFLA_VFINFO_LIST with one IFLA_VF_INFO, each option in the order given, as
// iproute2 6.1's iplink_parse_vf adds them (IFLA_VF_RATE last).
import { ETH_P_8021AD, ETH_P_8021Q } from '../generated/linux/if_ether.js';
import { IFLA_VF_LINK_STATE_AUTO, IFLA_VF_LINK_STATE_DISABLE, IFLA_VF_LINK_STATE_ENABLE } from '../generated/linux/if_link.js';
import { parseHw } from '../netlink/ip.js';
import { type Words, matches, num, onOff, parseUnsigned } from '../rtnl/words.js';

const STATES = { auto: IFLA_VF_LINK_STATE_AUTO, enable: IFLA_VF_LINK_STATE_ENABLE, disable: IFLA_VF_LINK_STATE_DISABLE } as const;

/** The words after `vf`: the VF's number, then its options; returns IFLA_VFINFO_LIST's input. */
export function parseVfWords(w: Words): Record<string, unknown> {
  const vfWord = w.value('vf');
  const vf = /^-?\d+$/.test(vfWord) ? Number(vfWord) : NaN;
  if (!Number.isInteger(vf) || vf < 0 || vf > 0x7fffffff) w.fail(`invalid "vf" value "${vfWord}"`);
  // iproute2 looks ahead over every word left: either rate word switches to IFLA_VF_RATE.
  const ahead: string[] = [];
  for (let i = 0; w.peek(i) !== undefined; i++) ahead.push(w.peek(i)!);
  const newRateApi = ahead.some((x) => matches(x, 'max_tx_rate') || matches(x, 'min_tx_rate'));
  const overrideLegacy = ahead.some((x) => matches(x, 'max_tx_rate'));
  const info: Record<string, unknown> = {};
  let minTx: number | undefined;
  let maxTx: number | undefined;
  let read = 0;
  for (;;) {
    const x = w.peek();
    if (x === undefined) break;
    if (matches(x, 'mac')) {
      w.next();
      const v = w.value(x);
      let bytes: Buffer;
      try { bytes = parseHw(v, 'mac'); } catch { return w.fail(`invalid VF mac "${v}"`); }
      if (bytes.length > 32) w.fail(`invalid VF mac "${v}": more than 32 bytes`);
      info.mac = { vf, mac: [...bytes] };
    } else if (matches(x, 'vlan')) {
      w.next();
      const first = vlanInfo(w, vf);
      if (first.vlan_proto === ETH_P_8021Q) info.vlan = { vf, vlan: first.vlan, qos: first.qos };
      else {
        const list = [first];
        while (matches(w.peek(), 'vlan')) { w.next(); list.push(vlanInfo(w, vf)); }
        info.vlanList = { info: list };
      }
    } else if (matches(x, 'rate')) {
      w.next();
      const rate = unsigned(w, w.value(x), 'rate');
      if (!newRateApi) info.txRate = { vf, rate };
      else if (!overrideLegacy) maxTx = rate;
    } else if (matches(x, 'max_tx_rate')) { w.next(); maxTx = unsigned(w, w.value(x), 'max tx rate'); }
    else if (matches(x, 'min_tx_rate')) { w.next(); minTx = unsigned(w, w.value(x), 'min tx rate'); }
    else if (matches(x, 'spoofchk')) { w.next(); info.spoofchk = { vf, setting: onOff(w.value(x), 'spoofchk') ? 1 : 0 }; }
    else if (matches(x, 'query_rss')) { w.next(); info.rssQueryEn = { vf, setting: onOff(w.value(x), 'query_rss') ? 1 : 0 }; }
    else if (matches(x, 'trust')) { w.next(); info.trust = { vf, setting: onOff(w.value(x), 'trust') ? 1 : 0 }; }
    else if (matches(x, 'state')) {
      w.next();
      const v = w.value(x);
      const state = (['auto', 'enable', 'disable'] as const).find((s) => matches(v, s));
      if (!state) w.fail(`invalid "state" value "${v}" (auto, enable, disable)`);
      info.linkState = { vf, link_state: STATES[state] };
    } else if (matches(x, 'node_guid') || matches(x, 'port_guid')) {
      w.next();
      info[matches(x, 'node_guid') ? 'ibNodeGuid' : 'ibPortGuid'] = { vf, guid: guid(w, w.value(x)) };
    } else break;
    read++;
  }
  if (!read) w.fail(`"vf ${vfWord}" needs an option (mac, vlan, rate, spoofchk, trust, state...)`);
  if (newRateApi) {
    // iproute2 reads the rate left unsaid from the kernel; this version asks for both.
    if (minTx === undefined || maxTx === undefined) w.fail('give both max_tx_rate and min_tx_rate (the one left out is not read from the device here)');
    if (maxTx && minTx > maxTx) w.fail(`invalid min_tx_rate ${minTx} - must be <= max_tx_rate ${maxTx}`);
    info.rate = { vf, min_tx_rate: minTx, max_tx_rate: maxTx };
  }
  return { info: [info] };
}

/** `vlan N [qos Q] [proto 802.1Q|802.1ad]` (iplink_parse_vf_vlan_info). */
function vlanInfo(w: Words, vf: number): { vf: number; vlan: number; qos: number; vlan_proto: number } {
  const v = w.value('vlan');
  const vlan = parseUnsigned(v);
  if (vlan === undefined || vlan > 4095) w.fail(`invalid "vlan" value "${v}"`);
  let qos = 0;
  let proto = ETH_P_8021Q;
  if (matches(w.peek(), 'qos')) { w.next(); qos = unsigned(w, w.value('qos'), 'qos'); }
  if (matches(w.peek(), 'proto')) {
    w.next();
    const p = w.value('proto');
    if (p === '802.1Q' || p === '802.1q') proto = ETH_P_8021Q;
    else if (p === '802.1ad' || p === '802.1AD') proto = ETH_P_8021AD;
    else w.fail(`invalid "vlan protocol" value "${p}" - supported 802.1Q, 802.1ad`);
  }
  return { vf, vlan, qos, vlan_proto: proto };
}

function unsigned(w: Words, v: string, what: string): number {
  try {
    return num(v, `"${what}" value`);
  } catch {
    return w.fail(`invalid "${what}" value "${v}"`);
  }
}

/** get_guid: exactly xx:xx:xx:xx:xx:xx:xx:xx, as a u64 (first pair most significant). */
function guid(w: Words, v: string): bigint {
  if (!/^([0-9a-f]{2}:){7}[0-9a-f]{2}$/i.test(v)) w.fail(`invalid GUID format "${v}"`);
  return BigInt(`0x${v.replace(/:/g, '')}`);
}
