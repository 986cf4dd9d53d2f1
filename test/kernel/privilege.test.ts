// Without CAP_NET_ADMIN every changing call fails with EPERM, its message
// naming the operation, and every read still works: the probe
// (test/helpers/privilege-probe.ts) runs as root with CAP_NET_ADMIN dropped
// from its bounding set, and as nobody with no capabilities at all.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import type { PrivilegeReport } from '../helpers/privilege-probe.js';
import { envForOtherUser, ip, realRootTest, requireIsolation, run } from '../helpers/sh.js';

requireIsolation();
const probe = new URL('../helpers/privilege-probe.js', import.meta.url).pathname;
const CAP_NET_ADMIN = 12;

test.before(() => {
  ip('link', 'add', 'nlts-pv0', 'type', 'veth', 'peer', 'name', 'nlts-pv1');
  ip('link', 'set', 'nlts-pv0', 'up');
  ip('addr', 'add', '198.18.9.1/24', 'dev', 'nlts-pv0');
  ip('route', 'add', '198.18.10.0/24', 'via', '198.18.9.2');
  ip('neigh', 'add', '198.18.9.3', 'lladdr', '02:00:00:00:00:03', 'dev', 'nlts-pv0', 'nud', 'permanent');
  ip('rule', 'add', 'from', '198.18.13.0/24', 'table', '100', 'prio', '1900');
  run('tc', ['qdisc', 'add', 'dev', 'nlts-pv0', 'root', 'handle', '1:', 'htb', 'default', '10']);
  run('tc', ['class', 'add', 'dev', 'nlts-pv0', 'parent', '1:', 'classid', '1:10', 'htb', 'rate', '10mbit']);
  run('tc', ['filter', 'add', 'dev', 'nlts-pv0', 'parent', '1:', 'protocol', 'ip', 'prio', '1', 'u32', 'match', 'ip', 'dst', '198.18.10.0/24', 'flowid', '1:10']);
  ip('netns', 'add', 'nlts-pns');
});

test.after(() => {
  ip('link', 'del', 'nlts-pv0');
  ip('rule', 'del', 'prio', '1900');
  ip('netns', 'del', 'nlts-pns');
});

function probeAs(setpriv: string[]): PrivilegeReport {
  return JSON.parse(execFileSync('setpriv', [...setpriv, '--', process.execPath, probe], { encoding: 'utf8', env: envForOtherUser() })) as PrivilegeReport;
}

function check(r: PrivilegeReport, who: string): void {
  assert.is((BigInt(`0x${r.capEff}`) >> BigInt(CAP_NET_ADMIN)) & 1n, 0n, `${who}: CAP_NET_ADMIN is really gone (CapEff ${r.capEff})`);
  assert.is(r.changes.length, 20);
  for (const c of r.changes) {
    assert.not.ok(c.ok, `${who}: ${c.call} went through`);
    assert.is(c.code, 'EPERM', `${who}: ${c.call}: ${c.message}`);
    assert.is(c.name, 'NetlinkError', `${who}: ${c.call}`);
    assert.ok(c.operation, `${who}: ${c.call} names its operation`);
    assert.ok(c.message!.startsWith(`${c.operation}: EPERM (operation not permitted)`), `${who}: ${c.message}`);
    assert.match(c.message!, /changes need CAP_NET_ADMIN$/, `${who}: ${c.call}`);
  }
  for (const rd of r.reads) assert.ok(rd.ok, `${who}: ${rd.call} failed: ${rd.message}`);
  // Nothing changed.
  assert.match(ip('-br', 'link', 'show', 'nlts-pv1'), /nlts-pv1/);
  assert.match(ip('-br', 'addr', 'show', 'nlts-pv0'), /198\.18\.9\.1\/24/);
  assert.not.match(ip('addr', 'show', 'nlts-pv0'), /198\.18\.9\.5/);
}

test('root without CAP_NET_ADMIN: every change EPERM naming its operation, every read works, nothing changed', () => {
  const r = probeAs(['--bounding-set=-net_admin', '--inh-caps=-net_admin']);
  assert.is(r.uid, 0);
  check(r, 'root without CAP_NET_ADMIN');
  const one = r.changes.find((c) => c.call === 'link set mtu')!;
  assert.is(one.message, 'link set nlts-pv0: EPERM (operation not permitted); changes need CAP_NET_ADMIN');
});

realRootTest('nobody (uid 65534, no capabilities): the same', () => {
  const r = probeAs(['--reuid', '65534', '--regid', '65534', '--clear-groups', '--inh-caps=-all']);
  assert.is(r.uid, 65534);
  assert.is(r.capEff, '0000000000000000');
  check(r, 'nobody');
});

test.run();
