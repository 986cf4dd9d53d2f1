// `lab view` in a real browser: headless chromium (Debian's package) opens the
// page of a running lab; the page lists the lab's namespaces and links, shows
// a namespace's addresses on demand and the connectivity matrix when asked; a
// link taken down on the kernel turns DOWN on the page without a reload; a
// screenshot is kept in test-results/; Ctrl-C stops the server with exit 0.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { KernelBackend } from '../../src/lab/kernel/backend.js';
import { Lab } from '../../src/lab/lab.js';
import { Browser, haveChromium } from '../helpers/cdp.js';
import { cli } from '../helpers/cli-path.js';
import { assertGone } from '../helpers/lab-kernel.js';
import { ip, requireIsolation } from '../helpers/sh.js';

requireIsolation();

const LAB = {
  name: 'nlts-view',
  namespaces: [{ name: 'a' }, { name: 'b' }],
  veths: [{ a: { name: 'v', namespace: 'a', addresses: ['198.18.40.1/24'] }, b: { name: 'v', namespace: 'b', addresses: ['198.18.40.2/24'] } }],
};
const artifacts = fileURLToPath(new URL('../../../test-results/', import.meta.url));

/** The view's first line (its URL), or an error with what it printed. */
function started(view: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`lab view printed no URL in 20 s: ${out}`)), 20_000);
    view.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /live view on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]!); }
    });
    view.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
    view.on('exit', () => { clearTimeout(timer); reject(new Error(`lab view ended: ${out}`)); });
  });
}

(haveChromium() ? test : test.skip)('lab view in headless chromium: namespaces, links, addresses, connectivity; a link set down turns DOWN live', async () => {
  ip('link', 'set', 'lo', 'up'); // the test's own namespace: the server and the browser meet on 127.0.0.1
  const dir = mkdtempSync(join(tmpdir(), 'nlts-view-'));
  const file = join(dir, 'view.json');
  writeFileSync(file, JSON.stringify(LAB));
  const lab = new Lab(LAB, new KernelBackend());
  await lab.up();
  let view: ChildProcess | undefined;
  let browser: Browser | undefined;
  try {
    view = spawn(process.execPath, [cli, 'lab', 'view', file, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exit = new Promise<number | null>((res) => view!.on('exit', (code) => res(code)));
    const url = await started(view);
    browser = await Browser.launch(join(dir, 'profile'));
    await browser.goto(url);
    const row = (ns: string, link: string) => `document.querySelector('tr[data-ns="${ns}"][data-link="${link}"] td.state')?.textContent`;
    await browser.waitFor(`${row('nlts-view-a', 'v')} === 'UP' && ${row('nlts-view-b', 'v')} === 'UP'`);
    assert.equal(await browser.evaluate('[...document.querySelectorAll("#namespaces button")].map((b) => b.textContent)'), ['nlts-view-a', 'nlts-view-b']);
    assert.match(String(await browser.evaluate('document.querySelector(".picture svg") ? document.querySelector(".picture").textContent : ""')), /198\.18\.40\.1\/24/);

    await browser.evaluate("show('nlts-view-b')");
    await browser.waitFor("document.querySelector('#ns-detail').textContent.includes('198.18.40.2/24')");
    await browser.evaluate('ping()');
    assert.match(String(await browser.waitFor("document.querySelector('#matrix').textContent.includes('all as expected') && document.querySelector('#matrix').textContent", 30_000)),
      /^connectivity of lab nlts-view .*: all as expected/);

    ip('-n', 'nlts-view-a', 'link', 'set', 'v', 'down');
    await browser.waitFor(`${row('nlts-view-a', 'v')} === 'DOWN'`);
    // Its peer lost its carrier: up, but no carrier.
    await browser.waitFor(`${row('nlts-view-b', 'v')} === 'NO-CARRIER'`);
    const png = await browser.screenshot();
    assert.equal([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]); // "PNG"
    // The artifact from the root run; the unprivileged run (another user) cannot write the checkout.
    if (process.env.NETLINK_TS_TEST_USERNS !== '1') {
      mkdirSync(artifacts, { recursive: true });
      writeFileSync(join(artifacts, 'lab-view.png'), png);
    }

    view.kill('SIGINT');
    assert.is(await exit, 0);
    view = undefined;
  } finally {
    await browser?.close();
    view?.kill('SIGKILL');
    await lab.down();
    rmSync(dir, { recursive: true, force: true });
  }
  await assertGone(lab);
});

test.run();
