import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EncodeError } from '../../src/netlink/errors.js';
import { formatHandle, formatQdiscHandle, parseClassid, parseQdiscHandle } from '../../src/rtnl/tc/handles.js';
import { DEFAULT_CLOCK, pschedFromText, toU32, xmitSize, xmitTime } from '../../src/rtnl/tc/psched.js';
import { rateTable } from '../../src/rtnl/tc/rate-table.js';
import { parsePercent, parseRate, parseRate32, parseSize, parseTime, parseTime64 } from '../../src/rtnl/tc/units.js';

function throwsEncode(fn: () => unknown, re: RegExp): void {
  try {
    fn();
  } catch (e) {
    assert.instance(e, EncodeError);
    assert.match((e as Error).message, re);
    return;
  }
  assert.unreachable(`expected an EncodeError matching ${re}`);
}

test('rates as tc reads them, in bytes per second', () => {
  assert.is(parseRate('1mbit', 'r'), 125000);
  assert.is(parseRate('100kbps', 'r'), 100000);
  assert.is(parseRate('100KBps', 'r'), 100000);
  assert.is(parseRate('1gbit', 'r'), 125000000);
  assert.is(parseRate('1Gibit', 'r'), 134217728);
  assert.is(parseRate('8', 'r'), 1);
  assert.is(parseRate('1.5mbit', 'r'), 187500);
  assert.is(parseRate('100gbit', 'r'), 12500000000);
  assert.is(parseRate(12500000000, 'r'), 12500000000);
  assert.is(parseRate(10n, 'r'), 10);
  assert.is(parseRate('5%', 'r', { speedMbit: () => 10000 }), 62500000);
});

test('bad rates are EncodeErrors naming the field', () => {
  throwsEncode(() => parseRate('10mbits', 'htb.rate'), /htb\.rate: rate "10mbits": unknown unit "mbits"/);
  throwsEncode(() => parseRate('-1mbit', 'r'), /negative/);
  throwsEncode(() => parseRate(-5, 'r'), /negative/);
  throwsEncode(() => parseRate(0, 'r'), /zero/);
  throwsEncode(() => parseRate('mbit', 'r'), /does not start with a number/);
  throwsEncode(() => parseRate('1e30tbit', 'r'), /overflows/);
  throwsEncode(() => parseRate(1.5, 'r'), /whole number/);
  throwsEncode(() => parseRate('5%', 'r'), /speed/);
  throwsEncode(() => parseRate('150%', 'r', { speedMbit: () => 1000 }), /between 0% and 100%/);
  throwsEncode(() => parseRate32('40gbit', 'r'), /32 bits/);
  throwsEncode(() => parseRate({}, 'r'), /expected a rate/);
});

test('sizes, times and percentages', () => {
  assert.is(parseSize('10kb', 's'), 10240);
  assert.is(parseSize('1.5mb', 's'), 1572864);
  assert.is(parseSize('64kbit', 's'), 8192);
  assert.is(parseSize('1500', 's'), 1500);
  assert.is(parseSize(1500, 's'), 1500);
  throwsEncode(() => parseSize('1.5b', 's'), /whole number/);
  throwsEncode(() => parseSize('5gb', 's'), /overflows/);
  throwsEncode(() => parseSize('10kilo', 's'), /unknown unit/);
  throwsEncode(() => parseSize(-1, 's'), /byte count/);
  assert.is(parseTime('100ms', 't'), 100000);
  assert.is(parseTime('50us', 't'), 50);
  assert.is(parseTime('1.5s', 't'), 1500000);
  assert.is(parseTime('10', 't'), 10);
  throwsEncode(() => parseTime('10min', 't'), /unknown unit/);
  throwsEncode(() => parseTime('5000s', 't'), /overflows/);
  assert.is(parseTime64('10ms', 't'), 10000000);
  assert.is(parseTime64('7', 't'), 7);
  assert.is(parsePercent('1%', 'p'), 0.01);
  assert.is(parsePercent('1', 'p'), 0.01);
  assert.is(parsePercent(50, 'p'), 0.5);
  throwsEncode(() => parsePercent('101%', 'p'), /outside 0–100%/);
  throwsEncode(() => parsePercent(-1, 'p'), /outside/);
  throwsEncode(() => parsePercent('5x', 'p'), /stray/);
});

test('handles: parse and print as tc does', () => {
  assert.is(parseClassid('root', 'h'), 0xffffffff);
  assert.is(parseClassid('1:10', 'h'), 0x10010);
  assert.is(parseClassid('1:', 'h'), 0x10000);
  assert.is(parseClassid(':10', 'h'), 0x10);
  assert.is(parseClassid('ffff:fff1', 'h'), 0xfffffff1);
  assert.is(parseClassid('ingress', 'h'), 0xfffffff1);
  assert.is(parseClassid('egress', 'h'), 0xfffffff3);
  assert.is(parseClassid('none', 'h'), 0);
  assert.is(parseQdiscHandle('1:', 'h'), 0x10000);
  assert.is(parseQdiscHandle('ffff', 'h'), 0xffff0000);
  assert.is(formatHandle(0xffffffff), 'root');
  assert.is(formatHandle(0x10010), '1:10');
  assert.is(formatHandle(0x10000), '1:');
  assert.is(formatHandle(0x10), ':10');
  assert.is(formatHandle(0), 'none');
  assert.is(formatQdiscHandle(0), '0:');
  throwsEncode(() => parseClassid('1:x', 'class.parent'), /class\.parent: .*not hex/);
  throwsEncode(() => parseClassid('10000:1', 'h'), /does not fit 16 bits/);
  throwsEncode(() => parseClassid('one', 'h'), /not a handle/);
  throwsEncode(() => parseQdiscHandle('1:1', 'h'), /major:/);
  throwsEncode(() => parseQdiscHandle(0x10001, 'h'), /minor/);
});

test('the scheduler clock and tick conversions', () => {
  const c = pschedFromText('000003e8 00000040 000f4240 3b9aca00\n');
  assert.equal(c, DEFAULT_CLOCK);
  assert.is(c.tickInUsec, 15.625);
  assert.is(c.hz, 1000000000);
  assert.is(xmitTime(625000000, 1600, 'b', c), 31);
  assert.is(xmitSize(625000000, 31, c), 625);
  assert.is(toU32(2 ** 32 + 5), 5);
  assert.is(toU32(-1), 0xffffffff);
  throwsEncode(() => xmitTime(1, 1e6, 'htb.burst', c), /htb\.burst: .*32-bit tick/);
});

test('identical rate tables are computed once: the same object for the same rate, cell, mtu and clock', () => {
  const c = DEFAULT_CLOCK;
  const a = rateTable({ rate: 125000, mtu: 1600 }, 'a', c);
  assert.ok(rateTable({ rate: 125000, mtu: 1600 }, 'b', c) === a, 'a second class at the same rate reuses the table');
  const other = rateTable({ rate: 250000, mtu: 1600 }, 'c', c);
  assert.ok(other !== a);
  assert.is.not(other.table.readUInt32LE(0), a.table.readUInt32LE(0));
  // A kernel with another tick length gets its own table, not the cached one.
  const slow = rateTable({ rate: 125000, mtu: 1600 }, 'd', { ...c, tickInUsec: c.tickInUsec * 2 });
  assert.ok(slow !== a);
  assert.is(slow.table.readUInt32LE(4), a.table.readUInt32LE(4) * 2);
  assert.ok(rateTable({ rate: 125000, mtu: 1600, mpu: 64 }, 'e', c) !== a);
  assert.ok(Object.isFrozen(a.spec), 'the shared ratespec cannot be changed by one user for the others');
});

test.run();
