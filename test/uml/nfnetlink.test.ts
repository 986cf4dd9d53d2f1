// nfnetlink on Linux 6.1, a kernel from before 6.10, which never answers
// NFNL_MSG_BATCH_END (the transaction asks it for no ACK and waits for its
// messages' ACKs instead), and conntrack's flush by family with the empty
// nfgenmsg version 1 that makes the kernel honour the family (6.1 refuses a
// CTA_FILTER there with EOPNOTSUPP, which this test found). One process, no tools: the
// library checks its own work.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as NF from '../../src/generated/linux/netfilter/nfnetlink.js';
import { NLM_F_CREATE } from '../../src/generated/linux/netlink.js';
import { Nfnetlink } from '../../src/nfnetlink/client.js';
import { nfRequest } from '../../src/nfnetlink/header.js';
import { ConntrackApi } from '../../src/nfnetlink/conntrack/api.js';
import { requireIsolation } from '../helpers/sh.js';

requireIsolation();

// nf_tables.h's numbers (the nftables layer has them typed): NFT_MSG_NEWTABLE 0, NFT_MSG_NEWCHAIN 3,
// NFT_MSG_DELTABLE 2, NFTA_TABLE_NAME 1, NFTA_CHAIN_TABLE 1, NFTA_CHAIN_NAME 3; NFPROTO_BRIDGE 7:
// the UML kernel answers EOPNOTSUPP to a table of any other family (unspec, inet, ip, arp,
// netdev, ip6 all probed), so this test's tables are bridge tables.
const nft = NF.NFNL_SUBSYS_NFTABLES;
const table = (msg: number, name: string) => nfRequest({ subsys: nft, msg, family: 7, flags: msg === 0 ? NLM_F_CREATE : 0, operation: `table ${msg} ${name}`, attrs: (w) => w.attrString(1, name) });
const chain = (t: string, name: string) => nfRequest({ subsys: nft, msg: 3, family: 7, flags: NLM_F_CREATE, operation: `chain add ${t} ${name}`,
  attrs: (w) => { w.attrString(1, t); w.attrString(3, name); } });

test('transactions: a failing message is named and nothing applies; a good one applies; ctnetlink refuses batches', async () => {
  using nf = Nfnetlink.open({ timeoutMs: 20_000 });
  const bad = await nf.transaction(nft, [table(0, 'nlts_u'), chain('nlts_missing', 'c')], () => undefined);
  assert.equal(bad.errors.map((e) => [e.index, e.code]), [[1, 'ENOENT']]);
  // The table of the refused batch does not exist: a chain cannot be made in it.
  const check = await nf.transaction(nft, [chain('nlts_u', 'c')], () => undefined);
  assert.equal(check.errors.map((e) => [e.index, e.code]), [[0, 'ENOENT']]);
  const good = await nf.transaction(nft, [table(0, 'nlts_u'), chain('nlts_u', 'c')], () => undefined);
  assert.ok(good.ok, String(good.errors[0]));
  const del = await nf.transaction(nft, [table(2, 'nlts_u')], () => undefined);
  assert.ok(del.ok, String(del.errors[0]));
  const ct = await nf.transaction(NF.NFNL_SUBSYS_CTNETLINK, [table(0, 'x')], () => undefined);
  assert.equal(ct.errors.map((e) => [e.index, e.code]), [[-1, 'EOPNOTSUPP']]);
});

test('conntrack: create, list, flush one family, delete', async () => {
  using ct = ConntrackApi.open({ timeoutMs: 20_000 });
  await ct.create({ orig: { src: '198.18.0.1', dst: '198.18.0.2', protocol: 'udp', sport: 1, dport: 2 }, timeout: 100, mark: 3 });
  await ct.create({ orig: { src: 'fd00::1', dst: 'fd00::2', protocol: 'tcp', sport: 3, dport: 4 }, tcpState: 'ESTABLISHED', timeout: 100 });
  assert.equal((await ct.list({ mark: 3 })).map((c) => [c.family, c.orig.sport]), [['ipv4', 1]]);
  await ct.flush({ family: 'ipv6' });
  assert.equal((await ct.list()).map((c) => c.family), ['ipv4']);
  await ct.delete({ orig: { src: '198.18.0.1', dst: '198.18.0.2', protocol: 'udp', sport: 1, dport: 2 } });
  assert.equal(await ct.list(), []);
});

test.run();
