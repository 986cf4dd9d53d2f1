// info_data of a vxlan, as iproute2 6.1's vxlan_print_opt: remote and group
// are one attribute, told apart by whether the address is multicast.
import type { AttrsOut } from '../../../netlink/schema.js';
import type { vxlanData } from '../../../rtnl/link-kinds/vxlan.js';
import { hex0x } from '../json-values.js';
import type { Json, KindJson } from './kind-json.js';

const isMulticast = (a: string): boolean => (a.includes(':') ? /^ff/i.test(a) : Number(a.split('.')[0]) >= 224 && Number(a.split('.')[0]) < 240);
const unspecified = (a: string | undefined): boolean => a === undefined || a === '0.0.0.0' || a === '::';

export const vxlanJson: KindJson<AttrsOut<typeof vxlanData.specs>> = (d, linkName) => {
  const o: Record<string, Json | undefined> = {};
  if (d.collectMetadata) o.external = true;
  if (d.vnifilter) o.vnifilter = true;
  o.id = d.id;
  if (d.group !== undefined) {
    if (!unspecified(d.group)) o[isMulticast(d.group) ? 'group' : 'remote'] = d.group;
  } else if (!unspecified(d.group6)) o[isMulticast(d.group6!) ? 'group6' : 'remote6'] = d.group6;
  if (d.local !== undefined) {
    if (!unspecified(d.local)) o.local = d.local;
  } else if (!unspecified(d.local6)) o.local6 = d.local6;
  if (d.link) o.link = linkName(d.link);
  if (d.portRange) o.port_range = { low: d.portRange.low, high: d.portRange.high };
  o.port = d.port;
  o.learning = d.learning;
  if (d.proxy) o.proxy = true;
  if (d.rsc) o.rsc = true;
  if (d.l2miss) o.l2miss = true;
  if (d.l3miss) o.l3miss = true;
  if (d.tos) o.tos = hex0x(d.tos);
  if (!d.ttlInherit && d.ttl !== undefined) o.ttl = d.ttl;
  if (typeof d.df === 'string') o.df = d.df;
  if (d.label) o.label = hex0x(d.label);
  o.ageing = d.ageing;
  if (d.limit) o.limit = d.limit;
  o.udp_csum = d.udpCsum;
  o.udp_zero_csum6_tx = d.udpZeroCsum6Tx;
  o.udp_zero_csum6_rx = d.udpZeroCsum6Rx;
  if (d.remcsumTx) o.remcsum_tx = true;
  if (d.remcsumRx) o.remcsum_rx = true;
  if (d.gbp) o.gbp = true;
  if (d.gpe) o.gpe = true;
  return o;
};
