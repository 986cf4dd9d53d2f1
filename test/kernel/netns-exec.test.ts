import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type ChildProcess, execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { add, remove } from '../../src/netns/named.js';
import { exec, spawn } from '../../src/netns/exec.js';
import { NetnsError } from '../../src/netns/errors.js';
import { envForOtherUser, ip, realRootTest, requireIsolation, run } from '../helpers/sh.js';
import { nsId, threadsElsewhere } from '../helpers/netns.js';
import { cli } from '../helpers/cli-path.js';

requireIsolation();
const home = readlinkSync('/proc/thread-self/ns/net');
const A = 'nlts-xa';
const B = 'nlts-xb';

/** The exit status, whether the process has already exited or not. */
async function exitCode(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const [code] = await once(child, 'exit') as [number | null];
  return code;
}

test.before(() => {
  add(A);
  add(B);
  // A veth pair joins them: 198.18.0.1 in A, 198.18.0.2 in B.
  ip('link', 'add', 'nlts-xa0', 'netns', A, 'type', 'veth', 'peer', 'name', 'nlts-xb0', 'netns', B);
  ip('-n', A, 'addr', 'add', '198.18.0.1/30', 'dev', 'nlts-xa0');
  ip('-n', B, 'addr', 'add', '198.18.0.2/30', 'dev', 'nlts-xb0');
  for (const [ns, dev] of [[A, 'nlts-xa0'], [B, 'nlts-xb0']]) {
    ip('-n', ns!, 'link', 'set', dev!, 'up');
    ip('-n', ns!, 'link', 'set', 'lo', 'up');
  }
  mkdirSync(`/etc/netns/${A}`, { recursive: true });
  writeFileSync(`/etc/netns/${A}/resolv.conf`, 'nameserver 198.18.0.53\n');
  writeFileSync(`/etc/netns/${A}/hosts`, '198.18.0.2 nlts-peer\n');
});

test.after(() => {
  remove(A);
  remove(B);
  rmSync(`/etc/netns/${A}`, { recursive: true, force: true });
});

test('the program sees /etc/netns/NAME files as /etc and only its namespace in /sys, as with ip netns exec', async () => {
  const script = 'cat /etc/resolv.conf; cat /etc/hosts; ls /sys/class/net; readlink /proc/self/ns/net';
  const r = await exec(A, ['sh', '-c', script], { capture: true });
  assert.is(r.code, 0, String(r.stderr));
  assert.is(r.stdout, `nameserver 198.18.0.53\n198.18.0.2 nlts-peer\nlo\nnlts-xa0\n${nsId(`/run/netns/${A}`)}\n`);
  assert.is(r.stdout, run('ip', ['netns', 'exec', A, 'sh', '-c', script]), 'the same view as ip netns exec');
  // B has no /etc/netns/B: the real files, and its own devices.
  const b = await exec(B, ['ls', '/sys/class/net'], { capture: true });
  assert.is(b.stdout, 'lo\nnlts-xb0\n');
  // Nothing leaked back into our mount namespace.
  assert.not.ok(readdirSync('/sys/class/net').includes('nlts-xa0'));
  assert.equal(threadsElsewhere(home), []);
});

test('two namespaces joined by a veth exchange real traffic: a UDP echo between exec\'ed processes', async () => {
  const server = spawn(A, [process.execPath, '-e', `
    const s = require('node:dgram').createSocket('udp4');
    s.on('message', (m, from) => s.send(Buffer.concat([Buffer.from('echo:'), m]), from.port, from.address, () => s.close()));
    s.bind(7007, '198.18.0.1', () => console.log('ready'));`], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const [first] = await once(server.stdout!, 'data') as [Buffer];
    assert.is(first.toString().trim(), 'ready');
    const client = await exec(B, [process.execPath, '-e', `
      const s = require('node:dgram').createSocket('udp4');
      s.on('message', (m, from) => { console.log(m.toString() + ' from ' + from.address); s.close(); });
      s.send('hello', 7007, '198.18.0.1');`], { capture: true, timeout: 10000 });
    assert.is(client.stdout, 'echo:hello from 198.18.0.1\n', String(client.stderr));
    assert.is(await exitCode(server), 0);
  } finally {
    server.kill();
  }
});

realRootTest('uid/gid: the program runs as that user, with no other groups unless asked', async () => {
  const r = await exec(A, ['sh', '-c', 'id -u; id -g; id -G'], { uid: 65534, gid: 65534, capture: true });
  assert.is(r.stdout, '65534\n65534\n65534\n');
  const g = await exec(A, ['id', '-G'], { uid: 65534, gid: 65534, groups: [65534, 100], capture: true });
  assert.is(g.stdout, '65534 100\n');
  // The direct spawn (no mount namespace) drops privileges the same way.
  const d = await exec(A, ['id', '-u'], { uid: 65534, gid: 65534, capture: true, mounts: false });
  assert.is(d.stdout, '65534\n');
});

realRootTest('uid without gid runs as runuser does: the group from /etc/passwd, the groups /etc/group lists the user in', async () => {
  const passwd = readFileSync('/etc/passwd', 'utf8');
  const group = readFileSync('/etc/group', 'utf8');
  try {
    // The test command's /etc is a private overlay: these lines go with it.
    writeFileSync('/etc/passwd', `${passwd}nlts-user:x:4242:4243::/nonexistent:/usr/sbin/nologin\nnlts-solo:x:4246:4243::/nonexistent:/usr/sbin/nologin\n`);
    writeFileSync('/etc/group', `${group}nlts-grp:x:4243:\nnlts-extra:x:4244:nlts-user\nnlts-other:x:4245:nlts-solo2,nlts-user\nnlts-not:x:4247:nlts-user2\n`);
    const r = await exec(A, ['id'], { uid: 4242, capture: true });
    assert.is(r.stdout, 'uid=4242(nlts-user) gid=4243(nlts-grp) groups=4243(nlts-grp),4244(nlts-extra),4245(nlts-other)\n', String(r.stderr));
    assert.is(r.stdout, run('ip', ['netns', 'exec', A, 'runuser', '-u', 'nlts-user', '--', 'id']), 'what runuser gives');
    // groups given: the primary group still from /etc/passwd.
    assert.is((await exec(A, ['id', '-G'], { uid: 4242, groups: [4245], capture: true })).stdout, '4243 4245\n');
    // The namespace's own /etc/netns/NAME/passwd counts, as it would for runuser under ip netns exec.
    writeFileSync(`/etc/netns/${A}/passwd`, 'nlts-user:x:4242:4244::/nonexistent:/usr/sbin/nologin\n');
    try {
      assert.is((await exec(A, ['id', '-g'], { uid: 4242, capture: true })).stdout, '4244\n');
    } finally {
      rmSync(`/etc/netns/${A}/passwd`);
    }
    // mounts: false: the primary group; supplementary groups it cannot set are refused, not dropped.
    assert.is((await exec(A, ['id'], { uid: 4246, capture: true, mounts: false })).stdout, 'uid=4246(nlts-solo) gid=4243(nlts-grp) groups=4243(nlts-grp)\n');
    await exec(A, ['id'], { uid: 4242, mounts: false }).then(() => assert.unreachable(), (e: Error) => {
      assert.is(e.name, 'EncodeError');
      assert.match(e.message, /^uid: user nlts-user also belongs to groups 4244, 4245, which a direct spawn \(mounts: false\) cannot give it/);
    });
    // A uid /etc/passwd does not list has no group to take: refused (it used to keep ours, gid 0).
    for (const mounts of [true, false]) {
      await exec(A, ['id'], { uid: 4299, mounts }).then(() => assert.unreachable(), (e: NetnsError) => {
        assert.instance(e, NetnsError);
        assert.is(e.code, 'ENOENT');
        assert.match(e.message, /cannot run as user 4299 without a gid: \/etc\/passwd does not list it/);
      });
    }
  } finally {
    writeFileSync('/etc/passwd', passwd);
    writeFileSync('/etc/group', group);
  }
});

test('argv goes to the program as it is, no shell; env, cwd and input as given', async () => {
  const r = await exec(A, ['printf', '%s|', 'a b', '$HOME', '*', ''], { capture: true });
  assert.is(r.stdout, 'a b|$HOME|*||');
  const e = await exec(A, ['sh', '-c', 'echo "$FOO"; pwd; echo "${HOME-unset}"'], { env: { FOO: 'bär', PATH: '/usr/bin:/bin' }, cwd: '/tmp', capture: true });
  assert.is(e.stdout, 'bär\n/tmp\nunset\n');
  const i = await exec(A, ['cat'], { input: 'hello\n', capture: true, encoding: 'buffer' });
  assert.ok(Buffer.isBuffer(i.stdout));
  assert.is(i.stdout!.toString(), 'hello\n');
});

test('exit status and signals come back as results; timeout and AbortSignal end the program', async () => {
  assert.is((await exec(A, ['sh', '-c', 'exit 3'])).code, 3);
  const k = await exec(A, ['sh', '-c', 'kill -KILL $$']);
  assert.equal([k.code, k.signal], [null, 'SIGKILL']);
  const t = await exec(A, ['sleep', '10'], { timeout: 300 });
  assert.equal([t.signal, t.timedOut], ['SIGTERM', true]);
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 300);
  try {
    await exec(A, ['sleep', '10'], { signal: ac.signal });
    assert.unreachable();
  } catch (e) {
    assert.is((e as Error).name, 'AbortError');
  }
});

test('a program that cannot run: a clear error naming it, and the statuses a shell gives', async () => {
  try {
    await exec(A, ['nlts-no-such-program'], { env: { PATH: '/usr/bin:/bin' } });
    assert.unreachable();
  } catch (e) {
    assert.instance(e, NetnsError);
    assert.is((e as NetnsError).code, 'ENOENT');
    assert.is((e as Error).message, `netns exec "${A}": cannot find "nlts-no-such-program" (PATH=/usr/bin:/bin): ENOENT (no such file or directory)`);
  }
  writeFileSync('/tmp/nlts-not-executable', 'data\n', { mode: 0o644 });
  try {
    await exec(A, ['/tmp/nlts-not-executable']);
    assert.unreachable();
  } catch (e) {
    assert.is((e as NetnsError).code, 'EACCES');
    assert.match((e as Error).message, /cannot execute "\/tmp\/nlts-not-executable": EACCES/);
  } finally {
    rmSync('/tmp/nlts-not-executable');
  }
  // The streaming form: an 'error' event, `started` rejects, exit status 127.
  const child = spawn(A, ['nlts-no-such-program']);
  const [err] = await once(child, 'error') as [Error];
  assert.match(err.message, /cannot find "nlts-no-such-program"/);
  await child.started.then(() => assert.unreachable(), (e: Error) => assert.is(e, err));
  assert.is(await exitCode(child), 127);
});

test('the streaming form returns the program itself: its pid, its streams, default signals, no extra fds', async () => {
  const child = spawn(A, ['sh', '-c', 'grep -E "^Sig(Ign|Blk)" /proc/self/status; ls /proc/self/fd; cat']);
  await child.started;
  assert.is(readlinkSync(`/proc/${child.pid}/ns/net`), nsId(`/run/netns/${A}`));
  child.stdin!.end('tail\n');
  let out = '';
  child.stdout!.on('data', (c: Buffer) => { out += c.toString(); });
  const [code] = await once(child, 'close');
  assert.is(code, 0);
  const plain = execFileSync('sh', ['-c', 'grep -E "^Sig(Ign|Blk)" /proc/self/status; ls /proc/self/fd'], { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  assert.is(out, `${plain}tail\n`, 'the same signal dispositions and fds as a plain spawn');
});

test('a namespace given by path, fd or pid: its devices in /sys, but no /etc/netns (it has no name)', async () => {
  const fd = openSync(`/run/netns/${A}`, 'r');
  try {
    for (const ref of [{ path: `/run/netns/${A}` }, { fd }]) {
      const r = await exec(ref, ['sh', '-c', 'ls /sys/class/net; grep -c 198.18.0.53 /etc/resolv.conf || true'], { capture: true });
      assert.is(r.stdout, 'lo\nnlts-xa0\n0\n', JSON.stringify(ref));
    }
  } finally {
    closeSync(fd);
  }
});

realRootTest('not enough privilege: entering a namespace needs root, and the error says so', () => {
  const code = `
    const { exec } = await import('${new URL('../../src/netns/exec.js', import.meta.url).href}');
    const { Rtnl } = await import('${new URL('../../src/client.js', import.meta.url).href}');
    for (const f of [() => exec('${A}', ['true']), () => Rtnl.open({ netns: '${A}' })]) {
      try { await f(); console.log('no error'); } catch (e) { console.log(e.code + ' ' + e.message); }
    }`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], { uid: 65534, gid: 65534, encoding: 'utf8', env: envForOtherUser() }).split('\n');
  assert.match(out[0]!, new RegExp(`^EPERM netns exec "${A}": cannot enter the network namespace: EPERM .*needs root`));
  assert.match(out[1]!, /^EPERM netns enter: cannot enter the network namespace: EPERM .*needs root/);
});

test('mounts: false spawns directly in the namespace: its network, our /sys', async () => {
  const r = await exec(A, ['sh', '-c', 'readlink /proc/self/ns/net; ls /sys/class/net | grep -c nlts-xa0 || true'], { capture: true, mounts: false });
  assert.is(r.stdout, `${nsId(`/run/netns/${A}`)}\n0\n`);
  assert.equal(threadsElsewhere(home), []);
});

test('netlink-ts netns exec runs the program and returns its status; words after the name are its own', () => {
  const out = execFileSync(process.execPath, [cli, 'netns', 'exec', A, 'ls', '-s', '-d', '/'], { encoding: 'utf8' });
  assert.match(out, /^\d+ \/\n$/);
  const r = execFileSync('sh', ['-c', `${process.execPath} ${cli} netns exec ${A} -- sh -c 'exit 4'; echo $?`], { encoding: 'utf8' });
  assert.is(r, '4\n');
  try {
    execFileSync(process.execPath, [cli, 'netns', 'exec', 'nlts-nope', 'true'], { encoding: 'utf8', stdio: 'pipe' });
    assert.unreachable();
  } catch (e) {
    assert.match(String((e as { stderr: string }).stderr), /no network namespace named "nlts-nope"/);
  }
});

test.run();
