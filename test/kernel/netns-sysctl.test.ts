import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { add, remove } from '../../src/netns/named.js';
import { NetnsError } from '../../src/netns/errors.js';
import { readSysctl, sysctlPath, writeSysctl } from '../../src/netns/sysctl.js';
import { ip, requireIsolation } from '../helpers/sh.js';
import { threadsElsewhere } from '../helpers/netns.js';

requireIsolation();
const home = readlinkSync('/proc/thread-self/ns/net');
const NS = 'nlts-sy';
/** What a process inside sees (through ip netns exec, so not through our code). */
const inNs = (key: string): string => execFileSync('ip', ['netns', 'exec', NS, 'cat', sysctlPath(key)], { encoding: 'utf8' }).trim();

test.before(() => {
  add(NS);
  ip('-n', NS, 'link', 'add', 'nlts-sy0', 'type', 'veth', 'peer', 'name', 'nlts-sy1');
});
test.after(() => remove(NS));

test('net.* sysctls are read and written inside the namespace, and only there', () => {
  const ours = readSysctl('net.ipv4.ip_forward');
  for (const [key, value] of [
    ['net.ipv4.ip_forward', '1'],
    ['net.ipv6.conf.all.forwarding', '1'],
    ['net.ipv4.conf.nlts-sy0.rp_filter', '2'],
    ['net/ipv4/conf/nlts-sy1/rp_filter', '1'],
  ] as const) {
    writeSysctl(key, value, NS);
    assert.is(readSysctl(key, NS), value, key);
    assert.is(inNs(key), value, `a process inside the namespace sees ${key} = ${value}`);
  }
  writeSysctl('net.ipv4.ip_forward', 0, { path: `/run/netns/${NS}` });
  assert.is(readSysctl('net.ipv4.ip_forward', { name: NS }), '0');
  assert.is(readSysctl('net.ipv4.ip_forward'), ours, 'our namespace untouched');
  assert.is(readSysctl('net.ipv4.ip_local_port_range', NS).split('\t').length, 2);
  writeSysctl('net.ipv4.ip_local_port_range', [20000, 30000], NS);
  assert.is(readSysctl('net.ipv4.ip_local_port_range', NS), '20000\t30000');
  assert.equal(threadsElsewhere(home), []);
});

test('sysctl errors name the key and the cause', () => {
  try {
    readSysctl('net.ipv4.conf.nlts-none.rp_filter', NS);
    assert.unreachable();
  } catch (e) {
    assert.instance(e, NetnsError);
    assert.is((e as NetnsError).code, 'ENOENT');
    assert.match((e as Error).message, /^sysctl net\.ipv4\.conf\.nlts-none\.rp_filter: no sysctl net\.ipv4\.conf\.nlts-none\.rp_filter in this namespace/);
  }
  try {
    writeSysctl('net.ipv4.ip_forward', 'maybe', NS);
    assert.unreachable();
  } catch (e) {
    assert.is((e as NetnsError).code, 'EINVAL');
    assert.match((e as Error).message, /the kernel refused the value for net\.ipv4\.ip_forward/);
  }
  assert.throws(() => readSysctl('net.ipv4.ip_forward', 'nlts-nope'), /no network namespace named "nlts-nope"/);
  assert.equal(threadsElsewhere(home), []);
});

test.run();
