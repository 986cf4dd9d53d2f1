// Labs as an ordinary user (docs/lab.md, "Without root"): `lab up|status|
// exec|ping|down` and `lab run` as an ordinary user, each word run again inside the
// lab's user namespace; nothing is left behind (no holder process or file,
// nothing in the namespace the test runs in); and where user namespaces are
// not allowed, a clear refusal before anything is made.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hostChanges, hostSnapshot } from '../../src/lab/kernel/host-check.js';
import { cli } from '../helpers/cli-path.js';
import { envForOtherUser, ip, realRootTest, requireIsolation } from '../helpers/sh.js';

requireIsolation();

const examples = fileURLToPath(new URL('../../../examples/', import.meta.url));
const ROUTER = `${examples}03-router.json`;
// A user of its own (no account needed), so that its processes are this test's alone: other test runs use nobody.
const OTHER_UID = 61_234;

/** The CLI as an ordinary user (a user of its own, no capabilities), from /tmp. */
function asUser(...args: string[]): { code: number | null; out: string; err: string } {
  const { XDG_RUNTIME_DIR: _mine, ...env } = envForOtherUser();
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', uid: OTHER_UID, gid: OTHER_UID, cwd: '/tmp', env });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Processes of that user still running (a holder left behind would be one). */
function usersProcesses(): string[] {
  return readdirSync('/proc').filter((p) => /^\d+$/.test(p)).flatMap((p) => {
    try {
      const status = readFileSync(`/proc/${p}/status`, 'utf8');
      const uid = /^Uid:\s+(\d+)/m.exec(status)?.[1];
      const state = /^State:\s+(\S)/m.exec(status)?.[1];
      return uid === String(OTHER_UID) && state !== 'Z' ? [`${p} ${readFileSync(`/proc/${p}/cmdline`, 'utf8').replace(/\0/g, ' ')}`] : [];
    } catch {
      return [];
    }
  });
}

/** `lab view` of the router lab as that user: served from its user namespace, relayed to our 127.0.0.1; Ctrl-C ends it with 0. */
async function viewAsUser(): Promise<void> {
  const { XDG_RUNTIME_DIR: _mine, ...env } = envForOtherUser();
  const view = spawn(process.execPath, [cli, 'lab', 'view', ROUTER, '--port', '0'], { uid: OTHER_UID, gid: OTHER_UID, cwd: '/tmp', env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exit = new Promise<number | null>((res) => view.on('exit', (code) => res(code)));
  let out = '';
  view.stderr.on('data', (d: Buffer) => { out += d.toString(); });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL in 20 s: ${out}`)), 20_000);
      view.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /^lab router: live view on (http:\/\/127\.0\.0\.1:\d+\/) \(Ctrl-C stops it\)$/m.exec(out);
        if (m) { clearTimeout(timer); resolve(m[1]!); }
      });
    });
    assert.match(await (await fetch(`${url}namespace?ns=router-red`)).text(), /eth0 +veth +UP +10\.0\.1\.2\/24/);
    assert.match(await (await fetch(url)).text(), /<title>lab router<\/title>/);
  } finally {
    view.kill('SIGINT');
  }
  assert.is(await exit, 0, out);
  assert.match(out, /^lab router: view stopped$/m);
}

realRootTest('as an ordinary user: up, status, exec (with the lab\'s /etc/hosts), ping, down; the lab lives in a user namespace and leaves nothing', async () => {
  ip('link', 'set', 'lo', 'up'); // for the view's relay on 127.0.0.1; before the host is read
  const before = await hostSnapshot();
  let r = asUser('lab', 'up', ROUTER);
  assert.is(r.code, 0, r.out + r.err);
  assert.match(r.out, /^lab router is up: 3 namespaces \(router-red, router-router, router-blue\), 21 steps in \d+ ms$/m);
  try {
    assert.ok(existsSync(`/tmp/netlink-ts-${OTHER_UID}/router.userns`), 'the holder is recorded');
    assert.is(usersProcesses().length, 1, usersProcesses().join('\n'));
    // Not in the namespace we run in: the lab's namespaces are the user namespace's.
    assert.not.ok(existsSync('/run/netns/router-red'));
    assert.equal(hostChanges(before, await hostSnapshot()), []);
    r = asUser('lab', 'up', ROUTER);
    assert.is(r.out.trim(), 'lab router was already up as described; nothing changed', r.err);
    r = asUser('lab', 'status', ROUTER);
    assert.is(r.code, 0, r.out + r.err);
    assert.match(r.out, /^lab router: \d+ ok, 0 missing, 0 different, 0 extra$/m);
    r = asUser('lab', 'exec', ROUTER, 'red', '--', 'ip', 'route');
    assert.is(r.code, 0, r.err);
    assert.match(r.out, /^default via 10\.0\.1\.1 dev eth0/m);
    r = asUser('lab', 'exec', ROUTER, 'red', 'cat', '/etc/hosts');
    assert.match(r.out, /^10\.0\.2\.2\tblue$/m);
    r = asUser('lab', 'exec', ROUTER, 'blue', 'sh', '-c', 'exit 4');
    assert.is(r.code, 4);
    r = asUser('--json', 'lab', 'ping', ROUTER, '--protocol', 'udp');
    assert.is(r.code, 0, r.out + r.err);
    assert.match(r.out, /^\{"lab":"router",.*"ok":true/, r.out);
    await viewAsUser();
  } finally {
    r = asUser('lab', 'down', ROUTER);
  }
  assert.is(r.code, 0, r.err);
  assert.match(r.out, /^lab router is down: removed .*namespace router-red$/m);
  assert.equal(usersProcesses(), []);
  assert.not.ok(existsSync(`/tmp/netlink-ts-${OTHER_UID}/router.userns`));
  r = asUser('lab', 'status', ROUTER);
  assert.is(r.code, 1);
  assert.match(r.out, /0 ok, 3 missing, 0 different, 0 extra \(no record: not made by up\(\)\)/);
  assert.equal(hostChanges(before, await hostSnapshot()), []);
});

realRootTest('as an ordinary user: lab run over every example (npm run lab without sudo): all as expected, the host unchanged', () => {
  const files = readdirSync(examples).filter((f) => f.endsWith('.json')).sort().map((f) => `${examples}${f}`);
  const r = asUser('lab', 'run', ...files);
  assert.is(r.code, 0, r.out + r.err);
  assert.is((r.out.match(/nothing of the lab is left/g) ?? []).length, files.length, r.out);
  assert.match(r.out, /^all 7 labs went as expected/m);
  assert.match(r.out, /^the host is unchanged: its \d+ links?, .* are as they were before the run \(the labs ran in a user namespace of their own\)$/m);
  assert.equal(usersProcesses(), []);
});

realRootTest('as an ordinary user: a failed up takes its user namespace down with it', () => {
  const r = asUser('lab', 'up', `${examples}05-netem.json`);
  if (r.code === 0) {
    asUser('lab', 'down', `${examples}05-netem.json`); // a kernel with netem
    return;
  }
  assert.match(r.err, /cannot go up, nothing was created/);
  assert.equal(usersProcesses(), []);
  assert.not.ok(existsSync(`/tmp/netlink-ts-${OTHER_UID}/netem.userns`));
});

test('where user namespaces are not allowed: a clear refusal saying what to do, nothing made', () => {
  // A user namespace of ours in which no more may be made, and a process in it without capabilities.
  const r = spawnSync('unshare', ['--user', '--map-root-user', 'sh', '-c',
    'echo 0 > /proc/sys/user/max_user_namespaces && exec setpriv --inh-caps=-all --bounding-set=-all -- "$@"', 'sh',
    process.execPath, cli, 'lab', 'up', ROUTER], { encoding: 'utf8', env: envForOtherUser() });
  assert.is(r.status, 1, r.stdout + r.stderr);
  assert.is(r.stdout, '');
  assert.match(r.stderr, /^netlink-ts lab up needs root or an unprivileged user namespace: this process lacks CAP_NET_ADMIN and CAP_SYS_ADMIN, and this system does not let it make a user namespace \(unshare: unshare failed: No space left on device\)\. Run it as root \(e\.g\. with sudo\), or allow unprivileged user namespaces \(user\.max_user_namespaces above 0;/);
  assert.not.ok(existsSync('/run/netns/router-red'));
});

test.run();
