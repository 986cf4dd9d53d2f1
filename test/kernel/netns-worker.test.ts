// docs/netns.md says Workers can use the namespace API: add, exec (both
// ways), sysctls, clients inside a namespace, remove — and then end, by any
// means, with the process living on. Each run is a child process whose exit
// status is the verdict (a crash of the process would be 139).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { requireIsolation } from '../helpers/sh.js';
import { exists, removeAll } from '../../src/netns/named.js';

requireIsolation();
const index = new URL('../../src/index.js', import.meta.url).href;

function inWorker(name: string, end: string): { status: number | null; signal: string | null; out: string } {
  const main = `
    import { Worker } from 'node:worker_threads';
    const w = new Worker(\`(async () => {
      const { parentPort } = await import('node:worker_threads');
      const { readlinkSync } = await import('node:fs');
      const { netns, Rtnl } = await import(${JSON.stringify(index)});
      netns.add('${name}');
      const full = await netns.exec('${name}', ['sh', '-c', 'readlink /proc/self/ns/net; ls /sys/class/net'], { capture: true });
      const direct = await netns.exec('${name}', ['readlink', '/proc/self/ns/net'], { capture: true, mounts: false });
      netns.writeSysctl('net.ipv4.ip_forward', 1, '${name}');
      const nl = await Rtnl.open({ netns: '${name}' });
      const links = (await nl.link.list()).map((l) => l.name);
      nl.close();
      const sleeper = netns.spawn('${name}', ['sleep', '30'], { stdio: 'ignore' });
      await sleeper.started;
      sleeper.kill();
      netns.remove('${name}');
      parentPort.postMessage({ full: full.stdout, direct: direct.stdout, sysctl: netns.readSysctl('net.ipv4.ip_forward'), links, home: readlinkSync('/proc/thread-self/ns/net') });
      ${end}
    })();\`, { eval: true });
    let report;
    w.on('message', (m) => { report = m; if (${JSON.stringify(end)} === 'setInterval(() => {}, 1000)') w.terminate(); });
    w.on('error', (e) => console.log('worker error: ' + e.message));
    w.on('exit', (code) => console.log(JSON.stringify({ code, report })));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', main], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, signal: r.signal, out: `${r.stdout}${r.stderr}` };
}

test('a Worker uses the namespace API and then ends (returning, terminated, process.exit): the process lives on', () => {
  const home = readlinkSync('/proc/thread-self/ns/net');
  for (const [i, end, code] of [[0, '', 0], [1, 'setInterval(() => {}, 1000)', 1], [2, 'process.exit(4)', 4]] as const) {
    const name = `nlts-w${i}`;
    const r = inWorker(name, end);
    assert.equal([r.status, r.signal], [0, null], r.out);
    const { code: got, report } = JSON.parse(r.out.trim().split('\n').pop()!) as { code: number; report: Record<string, unknown> };
    assert.is(got, code, r.out);
    const ns = /^(net:\[\d+\])\n/.exec(report.full as string)?.[1];
    assert.ok(ns && ns !== home, r.out);
    assert.is(report.full, `${ns}\nlo\n`);
    assert.is(report.direct, `${ns}\n`);
    assert.is(report.sysctl, '0', 'the Worker\'s sysctl write went to the namespace, not home');
    assert.equal(report.links, ['lo']);
    assert.is(report.home, home);
    assert.not.ok(exists(name));
  }
});

test.after(() => { removeAll('nlts-w'); });

test.run();
