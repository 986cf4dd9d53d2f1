// info_data of a tun or tap, as iproute2 6.1's tun_print_opt: the owner and
// group by name when /etc/passwd and /etc/group know them.
import { readFileSync } from 'node:fs';
import type { AttrsOut } from '../../../netlink/schema.js';
import type { tunData } from '../../../rtnl/link-kinds/tun.js';
import type { Json, KindJson } from './kind-json.js';

export const tunJson: KindJson<AttrsOut<typeof tunData.specs>> = (d) => {
  const o: Record<string, Json | undefined> = {};
  if (d.type !== undefined) o.type = typeof d.type === 'string' ? d.type : `UNKNOWN:${d.type}`;
  o.pi = d.pi;
  o.vnet_hdr = d.vnetHdr;
  o.multi_queue = d.multiQueue === true;
  if (d.multiQueue) {
    o.numqueues = d.numQueues;
    o.numdisabled = d.numDisabledQueues;
  }
  o.persist = d.persist;
  if (d.owner !== undefined) o.user = idName('/etc/passwd', d.owner);
  if (d.group !== undefined) o.group = idName('/etc/group', d.group);
  return o;
};

/** getpwuid/getgrgid from the files: the name, or the number when there is none. */
function idName(file: string, id: number): string | number {
  try {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const [name, , num] = line.split(':');
      if (name && Number(num) === id && num !== '') return name;
    }
  } catch { /* no file: the number */ }
  return id;
}
