// `vfinfo_list` of `ip -j link show`: a link's SR-IOV virtual functions, as
// iproute2 6.1's print_vfinfo prints them (ipaddress.c). ip prints the list
// only when the kernel sent both IFLA_VFINFO_LIST and IFLA_NUM_VF.
import { ETH_P_8021AD, ETH_P_8021Q } from '../../generated/linux/if_ether.js';
import { IFLA_VF_LINK_STATE_AUTO, IFLA_VF_LINK_STATE_ENABLE } from '../../generated/linux/if_link.js';
import type { Link } from '../../rtnl/link.js';
import type { Json } from '../../rtnl/link-kinds/kind.js';

/** ip's "unsupported" marker in the setting structs (a u32 -1). */
const UNSUPPORTED = 0xffffffff;

const hex = (bytes: readonly number[]): string => bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');

/** A u64 GUID as ll_addr_n2a prints ntohll(guid): its eight bytes, most significant first. */
function guidText(g: number | bigint): string {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(g));
  return hex([...b]);
}

export function vfInfoJson(l: Link): Json[] | undefined {
  if (!l.vfinfoList || l.numVf === undefined) return undefined;
  const addrLen = l.type === 'ether' ? 6 : 20;
  const linkType = typeof l.type === 'number' ? `[${l.type}]` : l.type;
  return (l.vfinfoList.info ?? []).map((vf) => {
    const o: Record<string, Json | undefined> = {};
    o.vf = vf.mac?.vf;
    o.link_type = linkType;
    o.address = hex((vf.mac?.mac ?? []).slice(0, addrLen));
    if (vf.broadcast) {
      if (l.flags.includes('pointopoint')) o.link_pointtopoint = true;
      o.broadcast = hex(vf.broadcast.broadcast.slice(0, addrLen));
    }
    if (vf.vlanList) {
      o.vlan_list = (vf.vlanList.info ?? []).map((v) => {
        const e: Record<string, Json | undefined> = {};
        if (v.vlan) e.vlan = v.vlan;
        if (v.qos) e.qos = v.qos;
        if (v.vlan_proto && v.vlan_proto !== ETH_P_8021Q) e.protocol = v.vlan_proto === ETH_P_8021AD ? '802.1ad' : `[${v.vlan_proto}]`;
        return e;
      });
    } else if (vf.vlan) {
      if (vf.vlan.vlan) o.vlan = vf.vlan.vlan;
      if (vf.vlan.qos) o.qos = vf.vlan.qos;
    }
    if (vf.txRate?.rate) o.tx_rate = vf.txRate.rate;
    if (vf.rate) o.rate = { max_tx: vf.rate.max_tx_rate, min_tx: vf.rate.min_tx_rate };
    if (vf.spoofchk && vf.spoofchk.setting !== UNSUPPORTED) o.spoofchk = vf.spoofchk.setting !== 0;
    if (vf.ibNodeGuid) o['node guid'] = guidText(vf.ibNodeGuid.guid);
    if (vf.ibPortGuid) o['port guid'] = guidText(vf.ibPortGuid.guid);
    if (vf.linkState) o.link_state = vf.linkState.link_state === IFLA_VF_LINK_STATE_AUTO ? 'auto' : vf.linkState.link_state === IFLA_VF_LINK_STATE_ENABLE ? 'enable' : 'disable';
    if (vf.trust && vf.trust.setting !== UNSUPPORTED) o.trust = vf.trust.setting !== 0;
    if (vf.rssQueryEn && vf.rssQueryEn.setting !== UNSUPPORTED) o.query_rss_en = vf.rssQueryEn.setting !== 0;
    return o;
  });
}
