// The CLI piped into a reader that stops early (`| head -c 1`): it ends as ip
// does, silently, with the status the shell reports for ip (141, SIGPIPE).
import { spawnSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ip, requireIsolation, run } from '../helpers/sh.js';
import { cli } from '../helpers/cli-path.js';

requireIsolation();
const DEV = 'nlts-pipe0';
// Far more than a pipe holds (64 KiB), so the writer is still writing when the reader has gone.
const ADDRESSES = 3000;

/** The command's exit status and standard error when its output goes through `| head -c 1`. */
function throughHead(command: string): { status: string; stderr: string } {
  const r = spawnSync('bash', ['-c', `${command} | head -c 1 >/dev/null; echo "\${PIPESTATUS[0]}"`], { encoding: 'utf8' });
  return { status: r.stdout.trim(), stderr: r.stderr };
}

test('piped into head: no EPIPE trace, the status ip gives (141)', () => {
  ip('link', 'add', DEV, 'type', 'veth', 'peer', 'name', 'nlts-pipe1');
  try {
    const lines: string[] = [];
    for (let i = 0; i < ADDRESSES; i++) lines.push(`address add 198.18.${100 + (i >> 8)}.${i & 255}/32 dev ${DEV}`);
    run('ip', ['-batch', '-'], `${lines.join('\n')}\n`);
    const theirs = throughHead(`ip address show dev ${DEV}`);
    assert.is(theirs.status, '141', 'ip dies of SIGPIPE');
    assert.is(theirs.stderr, '');
    for (const args of ['address show', '-j address show', 'route show table local']) {
      const ours = throughHead(`"${process.execPath}" "${cli}" ${args} ${args.includes('route') ? '' : `dev ${DEV}`}`);
      assert.is(ours.stderr, '', `netlink-ts ${args}: nothing on stderr`);
      assert.is(ours.status, theirs.status, `netlink-ts ${args}: exit status`);
    }
  } finally {
    spawnSync('ip', ['link', 'del', DEV]);
  }
});

test.run();
