// A veth pair made for one kernel test and deleted after it, with a client open.
import { Rtnl } from '../../src/client.js';
import { waitForLinksSettled } from './settle.js';
import { ip } from './sh.js';

export function withVeth(a: string, b: string, fn: (nl: Rtnl) => Promise<void>, hooks: { setup?: () => void; cleanup?: () => void } = {}): () => Promise<void> {
  return async () => {
    ip('link', 'add', a, 'type', 'veth', 'peer', 'name', b);
    ip('link', 'set', a, 'up');
    ip('link', 'set', b, 'up');
    try {
      // Carrier is on at once, but operstate (and RUNNING, which ip shows as NO-CARRIER while missing) follows later.
      await waitForLinksSettled({ pick: (l) => l.ifname === a || l.ifname === b });
      hooks.setup?.();
      await using nl = await Rtnl.open();
      await fn(nl);
    } finally {
      ip('link', 'del', a);
      hooks.cleanup?.();
    }
  };
}
