// The nfnetlink core against this kernel: transactions are all or nothing,
// a failed message is named by its index, a subsystem without batches
// refuses BATCH_BEGIN. nftables messages are written by hand here (the
// nftables layer has the typed ones): NFT_MSG_NEWTABLE 0, NFT_MSG_NEWCHAIN 3,
// NFTA_TABLE_NAME 1, NFTA_CHAIN_TABLE 1, NFTA_CHAIN_NAME 3 (linux/netfilter/nf_tables.h).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as NF from '../../src/generated/linux/netfilter/nfnetlink.js';
import { NLM_F_CREATE } from '../../src/generated/linux/netlink.js';
import { Nfnetlink } from '../../src/nfnetlink/client.js';
import { nfRequest } from '../../src/nfnetlink/header.js';
import { requireIsolation, run } from '../helpers/sh.js';

requireIsolation();

const NFPROTO_INET = 1;
const nft = NF.NFNL_SUBSYS_NFTABLES;
const newTable = (name: string) => nfRequest({ subsys: nft, msg: 0, family: NFPROTO_INET, flags: NLM_F_CREATE, operation: `table add ${name}`,
  attrs: (w) => w.attrString(1, name) });
const newChain = (table: string, name: string) => nfRequest({ subsys: nft, msg: 3, family: NFPROTO_INET, flags: NLM_F_CREATE, operation: `chain add ${table} ${name}`,
  attrs: (w) => { w.attrString(1, table); w.attrString(3, name); } });
const tables = (): string => run('nft', ['list', 'tables']);

test('a transaction with a failing message applies nothing and names the message', async () => {
  using nf = Nfnetlink.open();
  const r = await nf.transaction(nft, [newTable('nlts_a'), newChain('nlts_missing', 'c'), newTable('nlts_b')], () => undefined);
  assert.not.ok(r.ok);
  assert.equal(r.errors.map((e) => [e.index, e.code]), [[1, 'ENOENT']]);
  assert.is(r.errors[0]!.operation, 'chain add nlts_missing c');
  assert.not.match(tables(), /nlts_/);
});

test('a transaction that succeeds applies every message', async () => {
  using nf = Nfnetlink.open();
  const r = await nf.transaction(nft, [newTable('nlts_c'), newChain('nlts_c', 'input')], () => undefined);
  assert.ok(r.ok, String(r.errors[0]));
  assert.match(tables(), /table inet nlts_c/);
  assert.match(run('nft', ['list', 'table', 'inet', 'nlts_c']), /chain input/);
  run('nft', ['delete', 'table', 'inet', 'nlts_c']);
});

test('a stale generation id refuses the whole batch (against BATCH_BEGIN)', async () => {
  using nf = Nfnetlink.open();
  // The generation moves with every committed batch; one far away is stale.
  const r = await nf.transaction(nft, [newTable('nlts_d')], () => undefined, { genId: 0x7fffffff });
  assert.equal(r.errors.map((e) => e.index), [-1]);
  assert.is(r.errors[0]!.code, 'ERESTART');
  assert.not.match(tables(), /nlts_d/);
});

test('a subsystem without transactions refuses BATCH_BEGIN', async () => {
  using nf = Nfnetlink.open({ timeoutMs: 5000 });
  const r = await nf.transaction(NF.NFNL_SUBSYS_CTNETLINK, [newTable('nlts_e')], () => undefined);
  assert.equal(r.errors.map((e) => [e.index, e.code]), [[-1, 'EOPNOTSUPP']]);
});

test.run();
