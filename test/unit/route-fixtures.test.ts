// The bytes iproute2 sends for `ip route ...` (test/fixtures/iproute2/route)
// against ours: the library given the same request as a typed input, and
// our CLI given the same words.
import { test } from 'uvu';
import type { Rtnl } from '../../src/client.js';
import { fixtureSuite } from '../helpers/fixture-compare.js';

const dev = 'nlts-v0';
const cases: Record<string, (nl: Rtnl) => Promise<unknown>> = {
  'add-gateway': (nl) => nl.route.add({ dst: '198.18.1.0/24', gateway: '198.18.0.254' }),
  'add-default': (nl) => nl.route.add({ dst: 'default', gateway: '198.18.0.254' }),
  'add-via-inet6': (nl) => nl.route.add({ dst: '198.18.2.0/24', gateway: 'fd00::2', dev }),
  'add-table-1000': (nl) => nl.route.add({ dst: '198.18.3.0/24', gateway: '198.18.0.254', table: 1000 }),
  'add-metrics': (nl) => nl.route.add({
    dst: '198.18.3.0/24', gateway: '198.18.0.254',
    metrics: { lock: ['mtu'], mtu: 1400, advmss: 1300, window: 65535, rtt: 800, hoplimit: 10, initcwnd: 20 },
  }),
  'add-multipath': (nl) => nl.route.add({ dst: '198.18.7.0/24', nexthops: [{ gateway: '198.18.0.2', weight: 2 }, { gateway: '198.18.0.3', dev, weight: 3 }] }),
  'add-blackhole': (nl) => nl.route.add({ type: 'blackhole', dst: '198.18.4.0/24' }),
  'add-unreachable': (nl) => nl.route.add({ type: 'unreachable', dst: '198.18.8.0/24' }),
  'add-prohibit': (nl) => nl.route.add({ type: 'prohibit', dst: '198.18.9.0/24', priority: 5 }),
  'add-throw': (nl) => nl.route.add({ type: 'throw', dst: '198.18.10.0/24', table: 100 }),
  'add-onlink': (nl) => nl.route.add({ dst: '198.18.11.0/24', gateway: '198.18.50.1', dev, onlink: true }),
  'add-local': (nl) => nl.route.add({ type: 'local', dst: '198.18.12.1', dev }),
  'add-proto-static': (nl) => nl.route.add({ dst: '198.18.13.0/24', dev, protocol: 'static', priority: 20 }),
  'add-v6-gateway': (nl) => nl.route.add({ dst: 'fd00:5::/64', gateway: 'fd00::2', priority: 10 }),
  'add-v6-multipath': (nl) => nl.route.add({ dst: 'fd00:6::/64', nexthops: [{ gateway: 'fd00::2', dev, weight: 1 }, { gateway: 'fd00::3', dev, weight: 2 }] }),
  'replace': (nl) => nl.route.replace({ dst: '198.18.1.0/24', gateway: '198.18.0.253', dev, prefsrc: '198.18.0.1', priority: 7 }),
  'append': (nl) => nl.route.append({ dst: '198.18.1.0/24', gateway: '198.18.0.252' }),
  'prepend': (nl) => nl.route.prepend({ dst: '198.18.1.0/24', gateway: '198.18.0.251' }),
  'del-gateway': (nl) => nl.route.del({ dst: '198.18.1.0/24', gateway: '198.18.0.254' }),
  'del': (nl) => nl.route.del({ dst: '198.18.1.0/24' }),
  'del-v6': (nl) => nl.route.del({ dst: 'fd00:5::/64' }),
  'get-from-iif-mark': (nl) => nl.route.get({ dst: '198.18.1.5', from: '198.18.0.1', iif: dev, mark: 5 }),
  'get-oif': (nl) => nl.route.get({ dst: '198.18.1.5', oif: dev }),
  'get-v6': (nl) => nl.route.get({ dst: 'fd00::5' }),
  'show': (nl) => nl.route.list({ family: 'inet', table: 'main' }),
  'show-table-1000': (nl) => nl.route.list({ family: 'inet', table: 1000 }),
  'show-v6-dev': (nl) => nl.route.list({ family: 'inet6', table: 'main', dev }),
};

fixtureSuite('route', cases);

test.run();
