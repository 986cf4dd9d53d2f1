import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type AddrlabelInput, addrlabelRequest } from '../../src/api/addrlabels.js';
import { addrlabelCommand } from '../../src/cli/commands/addrlabel.js';
import { addrlabelToIpJson, addrlabelToText } from '../../src/cli/ip-json/addrlabel.js';
import * as R from '../../src/generated/linux/rtnetlink.js';
import { type AddrlabelMessage, addrlabelMessage, decodeAddrlabel } from '../../src/rtnl/addrlabel.js';
import { type FakeRtnl } from '../helpers/fake-rtnl.js';
import { cliRequestTests, comparableRequest, dumpingFake } from '../helpers/cli-fixtures.js';
import { loadFixture, requestOf } from '../helpers/fixtures.js';
import { refusedBeforeSending, wireBytes } from '../helpers/wire.js';

/** Two of the kernel's default labels and one on nlts-v0. */
const TABLE: AddrlabelMessage[] = [
  { family: 'inet6', prefixLen: 128, ifindex: 0, seq: 7, label: 0, address: '::1' },
  { family: 'inet6', prefixLen: 48, ifindex: 10, seq: 7, label: 101, address: 'fd00:2::' },
  { family: 'inet6', prefixLen: 0, ifindex: 0, seq: 7, label: 1, address: '::' },
];

const labelFake = (): FakeRtnl => dumpingFake(R.RTM_GETADDRLABEL, R.RTM_NEWADDRLABEL, TABLE, (w, l) => addrlabelMessage.encodePayload(w, l));
const comparable = comparableRequest;

// A flush sends back what the kernel dumped: its own request is the dump.
cliRequestTests('addrlabel', addrlabelCommand, labelFake, 'first');

const INPUTS: [string, 'add' | 'delete', AddrlabelInput<number>][] = [
  ['add', 'add', { prefix: 'fd00:1::/64', label: 100 }],
  ['add-dev', 'add', { prefix: 'fd00:2::/48', dev: 10, label: 101 }],
  ['add-host', 'add', { prefix: 'fd00:3::1', label: 102 }],
  ['del', 'delete', { prefix: 'fd00:1::/64', label: 100 }],
  ['del-dev', 'delete', { prefix: 'fd00:2::/48', dev: 10, label: 101 }],
];
for (const [name, verb, input] of INPUTS) {
  test(`fixture addrlabel/${name}: the typed input encodes to iproute2's bytes`, () => {
    const type = verb === 'add' ? R.RTM_NEWADDRLABEL : R.RTM_DELADDRLABEL;
    assert.is(comparable(wireBytes(addrlabelRequest(verb, input))), comparable(requestOf(loadFixture(`addrlabel/${name}.json`), type)));
  });
}

test('flush sends every dumped entry back as a delete, the same bytes; where picks', async () => {
  const fake = labelFake();
  assert.is(await fake.nl.addrlabel.flush({ where: (l) => l.ifindex === 10 }), 1);
  const del = fake.last(R.RTM_DELADDRLABEL);
  const l = decodeAddrlabel(del, 0, del.length)!;
  assert.equal([l.address, l.prefixLen, l.ifindex, l.label], ['fd00:2::', 48, 10, 101]);
  assert.is(await labelFake().nl.addrlabel.flush(), 3);
});

test('printers: ip\'s text and JSON, with and without a device', async () => {
  const fake = labelFake();
  const ifname = (i: number): string => (i === 10 ? 'nlts-v0' : `if${i}`);
  const rows = (await fake.nl.addrlabel.list()).map((l) => addrlabelToIpJson(l, { ifname }));
  assert.equal(rows.map(addrlabelToText), ['prefix ::1/128 label 0 ', 'prefix fd00:2::/48 dev nlts-v0 label 101 ', 'prefix ::/0 label 1 ']);
  assert.is(JSON.stringify(rows), '[{"address":"::1","prefixlen":128,"label":0},{"address":"fd00:2::","prefixlen":48,"ifname":"nlts-v0","label":101},{"address":"::","prefixlen":0,"label":1}]');
});

test('bad input is refused before sending', async () => {
  await refusedBeforeSending((nl) => nl.addrlabel.add({ prefix: '198.18.0.0/24', label: 1 }), /IPv6 only/, 'addrlabel.prefix');
  await refusedBeforeSending((nl) => nl.addrlabel.add({ prefix: 'fd00::/64', label: 0xffffffff }), /not a label/, 'addrlabel.label');
  await refusedBeforeSending((nl) => nl.addrlabel.add({ prefix: 'fd00::/129', label: 1 }), /./, 'addrlabel.prefix');
  await refusedBeforeSending((nl) => nl.addrlabel.delete({ prefix: 'fd00::/64', label: 1, dev: 'x/y' }), /not allowed/, 'addrlabel.dev');
  await refusedBeforeSending((nl) => nl.addrlabel.add({ prefix: 'fd00::/64', label: 1, table: 5 } as never), /unknown field/, 'addrlabel.table');
});

test.run();
