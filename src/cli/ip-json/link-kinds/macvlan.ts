// info_data of a macvlan, as iproute2 6.1's macvlan_print_opt.
import type { AttrsOut } from '../../../netlink/schema.js';
import type { macvlanData } from '../../../rtnl/link-kinds/macvlan.js';
import type { Json, KindJson } from './kind-json.js';

export const macvlanJson: KindJson<AttrsOut<typeof macvlanData.specs>> = (d) => {
  const o: Record<string, Json | undefined> = {};
  if (d.mode === undefined) return o;
  o.mode = typeof d.mode === 'string' ? d.mode : 'unknown';
  if (d.flags?.includes('nopromisc')) o.nopromisc = true;
  if (d.flags?.includes('nodst')) o.nodst = true;
  o.bcqueuelen = d.bcQueueLen;
  o.usedbcqueuelen = d.bcQueueLenUsed;
  if (d.mode !== 'source' || d.macaddrCount === undefined) return o;
  o.macaddr_count = d.macaddrCount;
  if (d.macaddrData) o.macaddr_data = d.macaddrData.macaddr ?? [];
  return o;
};
