// The table of rtnetlink families: one descriptor each. The monitor's kinds
// and the typed event union (events/kinds.ts) and the verbs batches offer
// (api/batch.ts) are derived from it (docs/architecture.md).
import { addressFamily } from './address.js';
import { chainFamily } from './chain.js';
import { tclassFamily } from './class.js';
import { filterFamily } from './filter.js';
import { linkFamily } from './link.js';
import { mdbFamily } from './mdb.js';
import { neighFamily } from './neighbour.js';
import { nexthopFamily } from './nexthop.js';
import { netconfFamily } from './netconf.js';
import { addrlabelFamily } from './addrlabel.js';
import { ntableFamily } from './ntable.js';
import { statsFamily } from './stats.js';
import { nsidFamily } from './nsid.js';
import { qdiscFamily } from './qdisc.js';
import { routeFamily } from './route.js';
import { ruleFamily } from './rule.js';

export type { TcChain } from './chain.js';

/** Every family, by the name events and the client use. */
export const families = {
  address: addressFamily,
  route: routeFamily,
  link: linkFamily,
  neigh: neighFamily,
  rule: ruleFamily,
  qdisc: qdiscFamily,
  class: tclassFamily,
  filter: filterFamily,
  chain: chainFamily,
  nsid: nsidFamily,
  mdb: mdbFamily,
  nexthop: nexthopFamily,
  netconf: netconfFamily,
  addrlabel: addrlabelFamily,
  ntable: ntableFamily,
  stats: statsFamily,
};
