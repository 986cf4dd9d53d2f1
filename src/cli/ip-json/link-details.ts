// The keys `ip -d -j link show` adds to a link (iproute2 6.1's
// print_linkinfo with show_details), in its order.
import type { Link } from '../../rtnl/link.js';
import { linkKindOf } from '../../rtnl/link-kinds/registry.js';
import type { Json } from './link.js';

export function linkDetailsJson(l: Link, linkName: (index: number) => string): Record<string, Json | undefined> {
  const o: Record<string, Json | undefined> = {
    promiscuity: l.promiscuity, allmulti: l.allmulti, min_mtu: l.minMtu, max_mtu: l.maxMtu,
  };
  if (l.linkinfo) o.linkinfo = linkinfoJson(l.linkinfo, linkName);
  const mode = l.afSpec?.inet6?.addrGenMode;
  if (mode !== undefined) o.inet6_addr_gen_mode = typeof mode === 'string' ? mode : `0x${mode.toString(16).padStart(2, '0')}`;
  Object.assign(o, {
    num_tx_queues: l.numTxQueues, num_rx_queues: l.numRxQueues, gso_max_size: l.gsoMaxSize, gso_max_segs: l.gsoMaxSegs,
    tso_max_size: l.tsoMaxSize, tso_max_segs: l.tsoMaxSegs, gro_max_size: l.groMaxSize, phys_port_name: l.physPortName,
    phys_port_id: l.physPortId?.toString('hex'), phys_switch_id: l.physSwitchId?.toString('hex'),
    parentbus: l.parentDevBusName, parentdev: l.parentDevName,
  });
  return o;
}

function linkinfoJson(info: NonNullable<Link['linkinfo']>, linkName: (index: number) => string): Record<string, Json | undefined> {
  const o: Record<string, Json | undefined> = {};
  if (info.kind !== undefined) {
    o.info_kind = info.kind;
    const print = linkKindOf(info.kind)?.json;
    if (print) o.info_data = info.data && !Buffer.isBuffer(info.data) ? print(info.data, linkName) : {};
  }
  if (info.slaveKind !== undefined) {
    o.info_slave_kind = info.slaveKind;
    const print = linkKindOf(info.slaveKind)?.portJson;
    if (print) o.info_slave_data = info.slaveData && !Buffer.isBuffer(info.slaveData) ? print(info.slaveData, linkName) : {};
  }
  return o;
}
