// `netlink-ts -batch`: how a line becomes words (iproute2's makeargs), and
// how a batch runs its lines: stop at the first failure, or go on with -force.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { UsageError, parseGlobal } from '../../src/cli/args.js';
import { batchWords, runBatch } from '../../src/cli/batch.js';

test('words: blanks split, quotes keep blanks, # starts a comment', () => {
  assert.equal(batchWords('link add  v0\ttype veth'), ['link', 'add', 'v0', 'type', 'veth']);
  assert.equal(batchWords(`link set v0 alias "the red end" # a comment`), ['link', 'set', 'v0', 'alias', 'the red end']);
  assert.equal(batchWords(`link set v0 alias 'x y'`), ['link', 'set', 'v0', 'alias', 'x y']);
  assert.equal(batchWords('   # only a comment'), []);
  assert.equal(batchWords(''), []);
  assert.equal(batchWords('route add 198.18.0.0/24#not-a-comment'), ['route', 'add', '198.18.0.0/24#not-a-comment']);
  assert.throws(() => batchWords('link set v0 alias "open'), (e: unknown) => e instanceof UsageError && /unterminated/.test((e as Error).message));
});

test('options: -batch FILE and -force', () => {
  assert.equal(parseGlobal(['-force', '-batch', 'f.txt', '-n', 'blue']).opts, { json: false, stats: false, pretty: false, details: false, force: true, batch: 'f.txt', netns: 'blue' });
  assert.throws(() => parseGlobal(['-batch']), /needs a file name/);
});

async function batch(lines: string[], force: boolean, fail: (argv: string[]) => number = () => 0): Promise<{ status: number; ran: string[]; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'nlts-batch-'));
  const file = join(dir, 'cmds');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const ran: string[] = [];
  let stderr = '';
  const write = process.stderr.write;
  process.stderr.write = ((s: string) => { stderr += s; return true; }) as typeof process.stderr.write;
  try {
    const status = await runBatch(file, ['-n', 'blue'], force, async (argv) => { ran.push(argv.join(' ')); return fail(argv); });
    return { status, ran, stderr: stderr.replaceAll(file, 'FILE') };
  } finally {
    process.stderr.write = write;
    rmSync(dir, { recursive: true });
  }
}

test('a batch runs each line with the command line\'s options; the first failure stops it', async () => {
  const lines = ['# set up', 'link add v0 type veth', '', '-6 route add fd00::/64 dev v0', 'link del nope', 'link set v0 up'];
  const failing = (argv: string[]) => (argv.includes('nope') ? 1 : 0);
  const stop = await batch(lines, false, failing);
  assert.equal(stop.ran, ['-n blue link add v0 type veth', '-n blue -6 route add fd00::/64 dev v0', '-n blue link del nope']);
  assert.is(stop.status, 1);
  assert.is(stop.stderr, 'Command failed FILE:5\n');
  const force = await batch(lines, true, failing);
  assert.is(force.ran.length, 4, '-force goes on');
  assert.is(force.status, 1, 'and still fails');
  assert.is((await batch(lines, false)).status, 0);
  const nested = await batch(['-batch other link show'], true);
  assert.equal(nested.ran, []);
  assert.match(nested.stderr, /a batch line cannot start another batch\nCommand failed FILE:1/);
  await runBatch('/nonexistent/nlts-batch', [], false, async () => 0).then(() => assert.unreachable(), (e: unknown) => assert.instance(e, UsageError));
});

test.run();
