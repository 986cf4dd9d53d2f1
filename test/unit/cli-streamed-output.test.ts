// Large dumps print as they are read: the rows' text is made element by
// element (the same bytes as printing the whole array), and `route show`
// writes each route before the next is read from the dump.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { routeCommand } from '../../src/cli/commands/route.js';
import { type Output, jsonArrayRows, textRows } from '../../src/cli/output.js';
import type { Rtnl } from '../../src/client.js';
import { NetlinkError } from '../../src/netlink/errors.js';
import type { Route } from '../../src/rtnl/route.js';

const collect = (): { write: (s: string) => void; text: () => string; writes: () => number } => {
  const parts: string[] = [];
  return { write: (s) => { parts.push(s); }, text: () => parts.join(''), writes: () => parts.length };
};

test('a JSON array written row by row is the text of JSON.stringify of the whole array, compact and pretty', () => {
  const rows: object[] = [{ dst: '198.18.0.1', dev: 'lo', flags: [] }, { dst: 'default', nested: { a: [1, 2], b: 'x' } }, { e: {} }];
  for (let i = 0; i < 600; i++) rows.push({ dst: `198.18.${i >> 8}.${i & 255}`, metrics: [{ mtu: i }], flags: i % 2 ? ['onlink'] : [] });
  for (const pretty of [false, true]) {
    // 600 rows: across the groups the rows are turned into JSON in.
    for (const n of [0, 1, 3, 600]) {
      const c = collect();
      const w = jsonArrayRows(c.write, pretty);
      for (const r of rows.slice(0, n)) w.add(r);
      w.end();
      assert.is(c.text(), `${JSON.stringify(rows.slice(0, n), null, pretty ? 4 : undefined)}\n`, `${n} rows, pretty ${pretty}`);
    }
  }
});

test('rows go out in chunks while they are added, not all at the end', () => {
  for (const make of [(w: (s: string) => void) => jsonArrayRows(w, false), textRows]) {
    const c = collect();
    const w = make(c.write);
    for (let i = 0; i < 20_000; i++) w.add(make === textRows ? `198.18.${i >> 8}.${i & 255} dev nlts-v0 scope link` : { dst: `198.18.${i >> 8}.${i & 255}`, dev: 'nlts-v0' });
    assert.ok(c.writes() > 5, 'written before end()');
    w.end();
    if (make === textRows) assert.is(c.text().split('\n').length, 20_001);
    else assert.is((JSON.parse(c.text()) as unknown[]).length, 20_000);
  }
});

const route = (i: number): Route => ({ family: 'inet', dstLen: 32, srcLen: 0, tos: 0, dst: `198.18.0.${i}`, oif: 10, table: 'main', protocol: 'boot', scope: 'link', type: 'unicast', flags: [] } as unknown as Route);

for (const json of [true, false]) {
  test(`route show${json ? ' --json' : ''} prints each route as the dump yields it, holding none of them`, async () => {
    const added: unknown[] = [];
    let ended = false;
    const out: Output = { line: () => assert.unreachable('line'), json: () => assert.unreachable('json'), rows: () => ({ add: (r) => { added.push(r); }, end: () => { ended = true; } }) };
    const seen: number[] = [];
    const nl = {
      link: { list: async () => [{ index: 10, name: 'nlts-v0' }] },
      route: {
        // A dump that checks, before each next route, that the one before is already printed.
        async *stream() {
          for (let i = 1; i <= 3; i++) {
            seen.push(added.length);
            yield route(i);
          }
        },
      },
    } as unknown as Rtnl;
    await routeCommand(nl, ['show'], { json } as never, out);
    assert.equal(seen, [0, 1, 2]);
    assert.ok(ended);
    assert.equal(added[2], json ? { dst: '198.18.0.3', dev: 'nlts-v0', scope: 'link', flags: [] } : '198.18.0.3 dev nlts-v0 scope link ');
  });
}

test('route show: a dump the table changed under is printed whole with ip\'s warning (it cannot be read again once printed); other errors stay errors', async () => {
  for (const errno of [4, 22]) {
    const added: unknown[] = [];
    let ended = false;
    const out: Output = { line: () => undefined, json: () => undefined, rows: () => ({ add: (r) => { added.push(r); }, end: () => { ended = true; } }) };
    const nl = {
      link: { list: async () => [{ index: 10, name: 'nlts-v0' }] },
      route: {
        async *stream() {
          yield route(1);
          yield route(2);
          throw new NetlinkError({ errno, operation: 'route show', partial: [] });
        },
      },
    } as unknown as Rtnl;
    const warnings: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((s: string) => { warnings.push(s); return true; }) as typeof process.stderr.write;
    let thrown: unknown;
    try {
      await routeCommand(nl, ['show'], { json: true } as never, out);
    } catch (e) {
      thrown = e;
    } finally {
      process.stderr.write = write;
    }
    assert.is(added.length, 2);
    if (errno === 4) {
      assert.is(thrown, undefined);
      assert.ok(ended, 'the JSON array is closed');
      assert.equal(warnings, ['Dump was interrupted and may be inconsistent.\n']);
    } else {
      assert.instance(thrown, NetlinkError);
      assert.is((thrown as NetlinkError).code, 'EINVAL');
      assert.not.ok(ended);
      assert.equal(warnings, []);
    }
  }
});

test.run();
