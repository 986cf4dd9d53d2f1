// An address label in the shape `ip -j addrlabel` prints, and its text line
// (ip/ipaddrlabel.c, print_addrlabel of iproute2 6.1).
import type { Addrlabel } from '../../rtnl/addrlabel.js';
import type { Json } from './link.js';

type Obj = Record<string, Json | undefined>;

export function addrlabelToIpJson(l: Addrlabel, o: { ifname: (index: number) => string; deleted?: boolean }): Obj {
  const j: Obj = {};
  if (o.deleted) j.deleted = true;
  if (l.address !== undefined) {
    j.address = l.address;
    j.prefixlen = l.prefixLen;
  }
  if (l.ifindex) j.ifname = o.ifname(l.ifindex);
  if (l.label !== undefined) j.label = l.label;
  return j;
}

export function addrlabelToText(j: Obj): string {
  let s = j.deleted ? 'Deleted ' : '';
  if (j.address !== undefined) s += `prefix ${j.address}/${j.prefixlen} `;
  if (j.ifname !== undefined) s += `dev ${j.ifname} `;
  if (j.label !== undefined) s += `label ${j.label} `;
  return s;
}
