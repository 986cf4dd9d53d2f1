// The ss command's pieces that need no kernel: its words (flags, states,
// filter expressions) as ss 6.1 reads them, its table renderer, and the
// printf conversions it borrows from C.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { UsageError } from '../../../src/cli/args.js';
import { fmtG } from '../../../src/cli/ss/cformat.js';
import { parseFilterWords } from '../../../src/cli/ss/expr.js';
import { parseSsWords } from '../../../src/cli/ss/options.js';
import { msTimer } from '../../../src/cli/ss/rows.js';
import { Col, SsTable } from '../../../src/cli/ss/table.js';
import { throwsWith } from '../../helpers/expect.js';

const usage = (fn: () => unknown, re: RegExp): void => throwsWith(fn, UsageError, re);

test('filter words: ss\'s grammar (left to right, juxtaposition is and, not binds tightest)', () => {
  const f = (s: string): unknown => parseFilterWords(s.split(' '));
  assert.equal(f('sport = :22'), { sport: 22, op: 'eq' });
  assert.equal(f('dport >= 1024'), { dport: 1024, op: 'ge' });
  assert.equal(f('dst 198.18.0.0/15'), { dst: '198.18.0.0/15' });
  assert.equal(f('src 198.18.0.1:8080'), { src: '198.18.0.1', port: 8080 });
  assert.equal(f('src [fd00::1]:80'), { src: 'fd00::1', port: 80 });
  assert.equal(f('dst fd00::/8'), { dst: 'fd00::/8' });
  assert.equal(f('src :22'), { src: '*', port: 22 });
  assert.equal(f('sport = :1 or sport = :2 and dport = :3'), { and: [{ or: [{ sport: 1, op: 'eq' }, { sport: 2, op: 'eq' }] }, { dport: 3, op: 'eq' }] });
  assert.equal(f('not sport = :1 dport = :2'), { and: [{ not: { sport: 1, op: 'eq' } }, { dport: 2, op: 'eq' }] });
  assert.equal(f('( sport = :1 or sport = :2 )'), f('(sport = :1 or sport = :2)'));
  assert.is(parseFilterWords([]), undefined);
  usage(() => f('sport = :ssh'), /":ssh" is not a port number/);
  usage(() => f('( sport = :1'), /a "\(" is not closed/);
  usage(() => f('sport = :1 )'), /unexpected "\)"/);
  usage(() => f('dev eth0'), /"dev" is not sport, dport/);
  usage(() => f('src > 198.18.0.1'), /src takes "=" only/);
});

test('flags, tables and states as ss 6.1 chooses them', () => {
  const o = (s: string) => parseSsWords(s ? s.split(' ') : [], false, undefined);
  assert.equal([...o('-t').dbs], ['tcp']);
  assert.is(o('-t').states, 0xfff & ~((1 << 7) | (1 << 10) | (1 << 6) | (1 << 3)));
  assert.is(o('-u').states, 1 << 1, 'UDP alone: established ones');
  assert.equal([...o('-x').dbs].sort(), ['u_dgr', 'u_seq', 'u_str']);
  assert.is(o('-tl').states, (1 << 10) | (1 << 7));
  assert.is(o('-ta').states, 0xfff);
  assert.equal([...o('-4').families], ['inet']);
  assert.equal([...o('-4').dbs].sort(), ['raw', 'tcp', 'udp']);
  assert.is(o('-t state established state listening').states, (1 << 1) | (1 << 10));
  assert.is(o('-t exclude listening').states, 0xfff & ~(1 << 10));
  assert.is(o('').dbs.size, 9);
  const all = o('-tanpimeoHK -j');
  assert.ok(all.processes && all.info && all.memory && all.extended && all.options && !all.header && all.kill && all.json);
  assert.equal([...o('-A unix,!u_seq').dbs].sort(), ['u_dgr', 'u_str']);
  usage(() => o('-y'), /unknown option -y/);
  usage(() => o('-t state estab'), /wrong state name: estab/);
  usage(() => o('-f ipx'), /"ipx" is invalid family/);
});

test('table: widths from the longest token, addresses right-aligned, the last socket\'s Process unmeasured', () => {
  let text = '';
  const t = new SsTable((s) => { text += s; }, new Set([Col.Netid]), true);
  const row = (state: string, local: string, lport: string, proc: string): string[] =>
    ['tcp', state, '0     ', '0     ', local, lport, '0.0.0.0:', '*', proc, ''];
  t.add(row('LISTEN', '198.18.0.1:', '8080', ''));
  t.add(row('ESTAB', '10.0.0.1:', '22', ' users:(("sshd",pid=1,fd=3))'));
  t.flush(true);
  assert.is(text, [
    'State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess',
    'LISTEN 0      0         198.18.0.1:8080      0.0.0.0:*          ',
    'ESTAB  0      0           10.0.0.1:22        0.0.0.0:*    users:(("sshd",pid=1,fd=3))',
    '',
  ].join('\n'));
});

test('%g and ss\'s millisecond timers', () => {
  assert.equal([0.037, 204, 40, 1e-5, 123456789, 2.88672, 0.1, 1000000].map(fmtG), ['0.037', '204', '40', '1e-05', '1.23457e+08', '2.88672', '0.1', '1e+06']);
  assert.equal([0, 200, 1500, 59_000, 61_000, 600_000, 12_345].map(msTimer), ['', '200ms', '1.500ms', '59sec', '1min1sec', '10min', '12sec']);
});

test.run();
