// Raw sockets through sock_diag on a kernel that has raw_diag (this
// machine's kernel lacks CONFIG_INET_RAW_DIAG, where netlink-ts can only
// say so): a raw ICMP socket listed by the library with its protocol, the
// same line from `netlink-ts ss -wan` as from `ss -wan`, and SOCK_DESTROY on
// it, which closes it or says that the kernel cannot.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SockDiag } from '../../src/diag/client.js';
import type { InetSocket } from '../../src/diag/types.js';
import { close, socket } from '../../src/ffi/libc.js';
import { AF_INET, SOCK_RAW } from '../../src/generated/libc/socket.js';
import { IPPROTO_ICMP } from '../../src/generated/linux/in.js';
import { NetlinkError } from '../../src/netlink/errors.js';
import { cli } from '../helpers/cli-path.js';
import { requireIsolation, run } from '../helpers/sh.js';

requireIsolation();

test('a raw ICMP socket: listed by the library and by netlink-ts ss -wan as by ss -wan, then destroyed', async () => {
  const fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
  try {
    using d = SockDiag.open();
    const raw = (await d.list({ protocols: ['raw'], families: [4] })) as InetSocket[];
    assert.is(raw.length, 1, JSON.stringify(raw, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)));
    const s = raw[0]!;
    assert.equal([s.protocol, s.state, s.rawProtocol, s.local.port], ['raw', 'unconnected', IPPROTO_ICMP, IPPROTO_ICMP]);
    assert.ok(s.inode > 0);
    assert.is(run(process.execPath, [cli, 'ss', '-wan']), run('ss', ['-wan']));
    try {
      await d.destroy(s);
      assert.is((await d.list({ protocols: ['raw'] })).length, 0, 'destroyed');
      console.log('  SOCK_DESTROY closed the raw socket');
    } catch (e) {
      assert.instance(e, NetlinkError);
      assert.match((e as Error).message, /EOPNOTSUPP.*CONFIG_INET_DIAG_DESTROY/);
      console.log('  this kernel cannot destroy sockets, and the error says so');
    }
  } finally {
    close(fd);
  }
});

test.run();
