// The socket filter: what is refused (before anything is sent), the bytecode
// for each node kind, and the filter run here on sockets the kernel cannot
// filter, including ss's IPv4-mapped rule.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkFilter, compileFilter, type FilterSubject, matchFilter, type SocketFilter } from '../../../src/diag/filter.js';
import { planDumps } from '../../../src/diag/query.js';
import { SockDiag } from '../../../src/diag/client.js';
import { stateMask, statesMask } from '../../../src/diag/states.js';
import { EncodeError } from '../../../src/netlink/errors.js';
import { FakeKernel } from '../../../src/socket/fake-kernel.js';
import { rejects, throwsWith } from '../../helpers/expect.js';

const throwsEncode = (fn: () => unknown, re: RegExp): void => throwsWith(fn, EncodeError, re);

test('bad filters are EncodeErrors naming the part, in the caller\'s words', () => {
  throwsEncode(() => checkFilter({ sport: -1 }), /^filter\.sport: expected a port 0\.\.65535, got -1$/);
  throwsEncode(() => checkFilter({ dport: 1.5 }), /filter\.dport: expected a port/);
  throwsEncode(() => checkFilter({ sport: 22, op: 'like' }), /filter\.op: expected one of eq, ne, ge, le, gt, lt/);
  throwsEncode(() => checkFilter({ src: '300.1.1.1' }), /filter\.src/);
  throwsEncode(() => checkFilter({ dst: 'fd00::/129' }), /prefix length "129" is not 0\.\.128/);
  throwsEncode(() => checkFilter({ src: '198.18.0.1', port: 70000 }), /filter\.src\.port: expected a port/);
  throwsEncode(() => checkFilter({ or: [{ sport: 1 }, { nope: 2 }] }), /filter\.or\[1\]: expected one of sport, dport, src, dst, and, or, not; got nope/);
  throwsEncode(() => checkFilter({ sport: 1, dport: 2 }), /filter: unexpected dport beside sport/);
  throwsEncode(() => checkFilter({ not: null }), /filter\.not: expected a filter object, got null/);
  throwsEncode(() => checkFilter({}), /got an empty object/);
});

test('bytecode: each node kind as ss compiles it', () => {
  const hex = (f: SocketFilter): string => compileFilter(checkFilter(f)).toString('hex');
  // S_COND, yes = its length (16), no = length + 4 (reject); family 0, no prefix, port 22, 4 address bytes.
  assert.is(hex({ sport: 22 }), '07101400' + '0000' + '0000' + '16000000' + '00000000');
  assert.is(hex({ dport: 80, op: 'ge' }), '04080c00' + '00000000'.slice(0, 4) + '5000');
  assert.is(hex({ sport: 80, op: 'gt' }), '03080c00' + '00005000' + '01040800');
  assert.is(hex({ dst: 'fd00::/8' }).slice(0, 24), '081c2000' + '0a080000' + 'ffffffff');
  // or: a JMP over the second operand; and: the first operand's reject jumps move past the second.
  const or = compileFilter(checkFilter({ or: [{ sport: 1 }, { sport: 2 }] }));
  assert.equal([or.length, or[16], or.readUInt16LE(18)], [36, 1, 20]);
  const and = compileFilter(checkFilter({ and: [{ sport: 1 }, { sport: 2 }] }));
  assert.equal([and.length, and.readUInt16LE(2), and.readUInt16LE(18)], [32, 36, 20]);
});

test('run here: ports, prefixes, IPv4-mapped sockets against IPv4 prefixes, and/or/not', () => {
  const sock = (local: string, lport: number, remote: string, rport: number) => ({
    lport, rport, local: Buffer.from(local.split(/[.:]/).map(Number)), remote: Buffer.from(remote.split(/[.:]/).map(Number)),
  });
  const s = sock('198.18.0.1', 8080, '198.18.1.2', 40000);
  const m = (f: SocketFilter, x: FilterSubject = s): boolean => matchFilter(checkFilter(f), x);
  assert.ok(m({ sport: 8080 }));
  assert.not.ok(m({ sport: 8081 }));
  assert.ok(m({ dport: 30000, op: 'gt' }));
  assert.ok(m({ dst: '198.18.0.0/23' }));
  assert.not.ok(m({ dst: '198.18.0.0/24' }));
  assert.ok(m({ src: '198.18.0.1', port: 8080 }));
  assert.ok(m({ and: [{ sport: 8080 }, { not: { dport: 1 } }] }));
  assert.not.ok(m({ or: [{ sport: 1 }, { src: 'fd00::/8' }] }));
  const mapped = { lport: 1, rport: 2, local: Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 198, 18, 0, 1]), remote: Buffer.alloc(16) };
  assert.ok(m({ src: '198.18.0.0/15' }, mapped));
  assert.not.ok(m({ src: '198.18.0.0/15' }, { lport: 1, rport: 0 }), 'no address: an address condition does not match');
});

test('states: names, ss\'s spellings and groups; a wrong one named', () => {
  assert.is(stateMask('established'), 1 << 1);
  assert.is(stateMask('CLOSED'), 1 << 7);
  assert.is(stateMask('syn-rcv'), 1 << 3);
  assert.is(stateMask('bucket'), (1 << 3) | (1 << 6));
  assert.is(stateMask('connected') & ((1 << 7) | (1 << 10)), 0);
  assert.is(statesMask(['listening', 'established']), (1 << 10) | (1 << 1));
  throwsEncode(() => statesMask(['listening', 'estab']), /states\[1\]: wrong state name: estab/);
  throwsEncode(() => statesMask(0), /a bit mask/);
});

test('planDumps refuses bad options before anything is built', () => {
  const bad = (q: unknown, re: RegExp): void => throwsEncode(() => planDumps(q as never), re);
  bad({ protocols: [] }, /protocols: expected a non-empty array/);
  bad({ protocols: ['tcp', 'sctp'] }, /protocols\[1\]: unknown protocol "sctp"/);
  bad({ families: [5] }, /families\[0\]: expected 4 or 6/);
  bad({ extensions: { info: 'yes' } }, /extensions\.info: expected a boolean/);
  bad({ extensions: { colour: true } }, /extensions\.colour: unknown extension/);
  bad({ statez: [] }, /statez: unknown option/);
  // Packet and netlink sockets are only ever "unconnected".
  assert.equal(planDumps({ protocols: ['packet', 'netlink'], states: ['established'] }), []);
  assert.is(planDumps({ protocols: ['tcp'] }).length, 2);
});

test('SockDiag: a bad filter sends nothing; destroy without CONFIG_INET_DIAG_DESTROY says so', async () => {
  const k = new FakeKernel((req, reply) => { reply.error(95 /* EOPNOTSUPP */); });
  using d = SockDiag.open({ transport: k });
  await rejects(() => d.list({ filter: { sport: 99999 } }), (e) => e instanceof EncodeError);
  await rejects(() => d.destroy({ kind: 'inet' } as never), (e) => e instanceof EncodeError && /socket\.protocol/.test(e.message));
  assert.is(k.sent.length, 0);
  const [s] = [{ kind: 'inet', protocol: 'tcp', family: 4, local: { address: '198.18.0.1', port: 1, bytes: Buffer.from([198, 18, 0, 1]) },
    remote: { address: '198.18.0.2', port: 2, bytes: Buffer.from([198, 18, 0, 2]) }, ifindex: 0, cookie: 5n }];
  await rejects(() => d.destroy(s as never), (e) => e.code === 'EOPNOTSUPP' && /built without CONFIG_INET_DIAG_DESTROY/.test(e.message) && /sock destroy tcp 198\.18\.0\.1:1 198\.18\.0\.2:2/.test(e.message));
  assert.is(k.sent.length, 1);
});

test.run();
