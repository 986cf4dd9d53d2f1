// The bytes iproute2 sends for `ip address ...` (test/fixtures/iproute2/address)
// against ours: the library given the same request as a typed input, and
// our CLI given the same words.
import { test } from 'uvu';
import type { Rtnl } from '../../src/client.js';
import { fixtureSuite } from '../helpers/fixture-compare.js';

const dev = 'nlts-v0';
const cases: Record<string, (nl: Rtnl) => Promise<unknown>> = {
  'add-v4-brd-label': (nl) => nl.addr.add({ address: '198.18.0.1/24', broadcast: '+', dev, label: 'nlts-v0:a' }),
  'add-v4-peer': (nl) => nl.addr.add({ address: '198.18.5.1', peer: '198.18.6.1/32', dev }),
  'add-v6-peer': (nl) => nl.addr.add({ address: 'fd00:2::1', peer: 'fd00:2::2/128', dev, flags: ['nodad'] }),
  'add-v4-broadcast': (nl) => nl.addr.add({ address: '198.18.0.3/24', broadcast: '198.18.0.127', dev }),
  'add-v4-scope-link': (nl) => nl.addr.add({ address: '198.18.0.2/24', dev, scope: 'link' }),
  'add-v6-nodad': (nl) => nl.addr.add({ address: 'fd00::1/64', dev, flags: ['nodad'] }),
  'add-v6-lifetimes': (nl) => nl.addr.add({ address: 'fd00:1::1/64', dev, validLft: 100, preferredLft: 50, flags: ['noprefixroute'] }),
  'add-v6-home-mngtmpaddr': (nl) => nl.addr.add({ address: 'fd00:3::1/64', dev, flags: ['home', 'mngtmpaddr'] }),
  'add-v4-metric': (nl) => nl.addr.add({ address: '198.18.0.4/24', dev, priority: 50 }),
  'add-loopback-scope-host': (nl) => nl.addr.add({ address: '127.0.0.2/8', dev: 'lo' }),
  'replace-lifetimes': (nl) => nl.addr.replace({ address: '198.18.0.1/24', dev, validLft: 300, preferredLft: 200 }),
  'del': (nl) => nl.addr.del({ address: '198.18.0.1/24', dev }),
  'del-v4-wildcard': (nl) => nl.addr.del({ address: '198.18.0.1', dev }),
  'show-dev': (nl) => nl.addr.list({ dev }),
};

fixtureSuite('address', cases);

test.run();
