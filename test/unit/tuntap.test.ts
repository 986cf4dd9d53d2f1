// tun/tap input checks, the struct ifreq bytes TUNSETIFF gets, and the CLI's
// ip tuntap words and flag printing: all without a kernel.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ioctlInt, ioctlStruct } from '../../src/ffi/libc.js';
import * as TUN from '../../src/generated/linux/if_tun.js';
import { ifreqName, tunIfreq } from '../../src/tuntap/ifreq.js';
import { add, open, tunFlags } from '../../src/tuntap/device.js';
import { flagWords, parseTuntapArgs, tuntapRow } from '../../src/cli/commands/tuntap.js';
import { throwsAt } from '../helpers/expect.js';

test('the ifreq TUNSETIFF gets: name at 0, the flag word as a short at 16, 40 bytes (as ip tuntap add sends it)', () => {
  // strace -e trace=ioctl ip tuntap add dev tap0 mode tap multi_queue:
  // ioctl(4, TUNSETIFF, {ifr_name="tap0", ifr_flags=IFF_TAP|IFF_NO_PI|IFF_TUN_EXCL|IFF_MULTI_QUEUE})
  const b = tunIfreq('tap0', TUN.IFF_TAP | TUN.IFF_NO_PI | TUN.IFF_TUN_EXCL | TUN.IFF_MULTI_QUEUE);
  assert.is(b.length, 40);
  assert.is(b.toString('latin1', 0, 5), 'tap0\0');
  assert.is(b.readUInt16LE(16), 0x9102, 'IFF_TUN_EXCL is the sign bit of the short');
  assert.ok(b.subarray(18).every((x) => x === 0));
  assert.is(ifreqName(b), 'tap0');
});

test('tunFlags: ip tuntap\'s defaults (no packet information) and each option', () => {
  assert.is(tunFlags({ mode: 'tun' }), TUN.IFF_TUN | TUN.IFF_NO_PI);
  assert.is(tunFlags({ mode: 'tap', pi: true, vnetHdr: true, multiQueue: true, oneQueue: true }),
    TUN.IFF_TAP | TUN.IFF_VNET_HDR | TUN.IFF_MULTI_QUEUE | TUN.IFF_ONE_QUEUE);
});

test('bad input is an EncodeError naming the field, before /dev/net/tun is opened', () => {
  throwsAt(() => tunFlags(null as never), 'tuntap', /mode: 'tun' \| 'tap'/);
  throwsAt(() => tunFlags({ mode: 'tup' as never }), 'tuntap.mode', /'tun' or 'tap', got "tup"/);
  throwsAt(() => tunFlags({ mode: 'tap', name: 'a/b' }), 'tuntap.name', /not allowed/);
  throwsAt(() => tunFlags({ mode: 'tap', name: 'x'.repeat(16) }), 'tuntap.name', /limit is 15/);
  throwsAt(() => tunFlags({ mode: 'tap', owner: -1 }), 'tuntap.owner', /numeric id/);
  throwsAt(() => tunFlags({ mode: 'tap', group: 2 ** 32 }), 'tuntap.group', /numeric id/);
  throwsAt(() => tunFlags({ mode: 'tap', pi: 1 as never }), 'tuntap.pi', /true or false/);
  throwsAt(() => tunFlags({ mode: 'tap', queues: 2 }), 'tuntap.queues', /need multiQueue/);
  throwsAt(() => tunFlags({ mode: 'tap', multiQueue: true, queues: 257 }), 'tuntap.queues', /from 1 to 256/);
  throwsAt(() => tunFlags({ mode: 'tap', persistent: true } as never), 'tuntap.persistent', /unknown option/);
  throwsAt(() => add({ mode: 'tap', persist: false } as never), 'tuntap.persist', /tuntap.open/);
  throwsAt(() => open({ mode: 'tap', netns: 'a/b' }), 'netns', /./);
});

test('the ioctl entry points check their arguments before ffi-rs sees them', () => {
  assert.throws(() => ioctlStruct(-1, TUN.TUNSETIFF, Buffer.alloc(40), 40), /fd must be a file descriptor/);
  assert.throws(() => ioctlStruct(3, TUN.TUNSETIFF, new Uint8Array(40) as never, 40), /buf must be a Buffer/);
  assert.throws(() => ioctlStruct(3, TUN.TUNSETIFF, Buffer.alloc(16), 40), /at least 40 bytes/);
  assert.throws(() => ioctlStruct(3, 2 ** 33, Buffer.alloc(40), 40), /request must be an unsigned 32-bit/);
  assert.throws(() => ioctlInt(3, TUN.TUNSETOWNER, -1), /value must be an unsigned 32-bit/);
  assert.throws(() => ioctlInt(3, TUN.TUNSETOWNER, '5' as never), /value must be an unsigned 32-bit/);
});

test('CLI words: ip tuntap add|del as ip parses them', () => {
  assert.equal(parseTuntapArgs(['dev', 'tap0', 'mode', 'tap', 'user', '1000', 'group', '0', 'multi_queue', 'vnet_hdr', 'pi', 'one_queue']),
    { name: 'tap0', mode: 'tap', owner: 1000, group: 0, multiQueue: true, vnetHdr: true, pi: true, oneQueue: true });
  assert.equal(parseTuntapArgs(['mode', 'tun', 'tun7']), { mode: 'tun', name: 'tun7' });
  assert.equal(parseTuntapArgs(['name', 'x', 'mode', 'tun'], true), { name: 'x', mode: 'tun' });
  assert.throws(() => parseTuntapArgs(['dev', 'x']), /You failed to specify a tunnel mode/);
  assert.throws(() => parseTuntapArgs(['mode', 'tun', 'mode', 'tap']), /more than one tunnel mode/);
  assert.throws(() => parseTuntapArgs(['mode', 'bridge']), /Unknown tunnel mode "bridge"/);
  assert.throws(() => parseTuntapArgs(['mode', 'tun', 'user', 'no-such-user-here']), /invalid user/);
  assert.throws(() => parseTuntapArgs(['a', 'b', 'mode', 'tun']), /"b" is a garbage/);
});

test('show: ip\'s flag words, order and user/group', () => {
  assert.equal(flagWords(0x5902), ['tap', 'multi_queue', 'vnet_hdr', 'persist']);
  assert.equal(flagWords(0x801), ['tun', 'pi', 'persist', 'filter']);
  assert.equal(flagWords(0x3012), ['tap', 'one_queue', '0x10']);
  const row = tuntapRow({ name: 't0', index: 2, mode: 'tap', pi: false, vnetHdr: false, multiQueue: false, persist: true, owner: 7, flags: 0x1802 }, false);
  assert.is(row.text, 't0: tap persist user 7');
  assert.equal(row.json, { ifname: 't0', flags: ['tap', 'persist'], user: 7 });
});

test.run();
