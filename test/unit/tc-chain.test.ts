// `tc chain add|del` (test/fixtures/iproute2/tc-chain): the library builds
// the bytes tc 6.1 sent, on a device's qdisc and in a shared block, and
// refuses what tc refuses before anything is sent.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RTM_DELCHAIN, RTM_NEWCHAIN } from '../../src/generated/linux/rtnetlink.js';
import { families } from '../../src/api/families/index.js';
import { chainRequest } from '../../src/rtnl/tc/chain.js';
import { EncodeError } from '../../src/netlink/errors.js';
import { hexdump, loadFixture, requestOf } from '../helpers/fixtures.js';
import { fixtureIfindex, requestBytes } from '../helpers/tc.js';

const cases: [string, 'add' | 'delete', number, (ifindex: number) => Parameters<typeof chainRequest>[1]][] = [
  ['tc-chain/chain-add.json', 'add', RTM_NEWCHAIN, (ifindex) => ({ ifindex, parent: 'ffff:', chain: 5 })],
  ['tc-chain/chain-del.json', 'delete', RTM_DELCHAIN, (ifindex) => ({ ifindex, parent: 'ffff:', chain: 5 })],
  ['tc-chain/chain-add-block.json', 'add', RTM_NEWCHAIN, () => ({ ifindex: 0, block: 9, chain: 3 })],
];

for (const [file, verb, type, spec] of cases) {
  const f = loadFixture(file);
  test(`${file}: ${f.command}`, () => {
    const req = chainRequest(verb, spec(fixtureIfindex(f, type)));
    assert.is(hexdump(requestBytes(req)), hexdump(requestOf(f, type)));
    // The chain family decodes what it sent: the block, the chain.
    const bytes = requestBytes(req);
    const c = families.chain.decode(bytes, 0, bytes.length)!;
    assert.is(c.chain, spec(0).chain);
    assert.is(c.block, spec(0).block);
  });
}

test('bad chains are refused before anything is sent', () => {
  assert.throws(() => chainRequest('add', { ifindex: 2, block: 9, chain: 1 }), (e: unknown) => e instanceof EncodeError && /mutually exclusive/.test(e.message));
  assert.throws(() => chainRequest('add', { ifindex: 0, block: 0, chain: 1 }), /block/);
  assert.throws(() => chainRequest('add', { ifindex: 2, parent: 'ffff:', chain: -1 }), /chain/);
  assert.throws(() => chainRequest('add', { ifindex: 0, block: 3, parent: '1:', chain: 1 }), /no parent/);
});

test.run();
