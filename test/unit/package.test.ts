// The package as `npm pack` makes it, installed into a scratch TypeScript
// project: it type-checks (and a wrong use fails to), and an example that
// imports it runs.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

test('npm pack → install into a scratch project → type-check → run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nlts-consumer-'));
  try {
    execFileSync('npm', ['pack', '--pack-destination', dir, '--ignore-scripts'], { cwd: root, stdio: 'pipe' });
    const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
    assert.ok(tgz, 'a tarball');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--no-save', join(dir, tgz)], { cwd: dir, stdio: 'pipe' });
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
      // A Node project has @types/node; borrow ours rather than install it again.
      compilerOptions: {
        target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, outDir: 'out',
        lib: ['ES2022', 'ESNext.Disposable'], types: ['node'], typeRoots: [join(root, 'node_modules', '@types')], skipLibCheck: false,
      },
      include: ['main.ts'],
    }));
    writeFileSync(join(dir, 'main.ts'), `
import { Rtnl, NetlinkSocket, FakeKernel, EncodeError, type Link } from 'netlink-ts';
const s = new NetlinkSocket(new FakeKernel());
s.requestSync({ type: 16 });
let refused = '';
try { s.requestSync({ type: 16, body: (w) => w.attrU16(1, 70000, 'mtu') }); } catch (e) { if (e instanceof EncodeError) refused = e.path; }
using nl = Rtnl.openSync();
const links: Link[] = await nl.link.list();
const mtu: number | undefined = links[0]?.mtu;
console.log(JSON.stringify({ lo: links.some((l) => l.name === 'lo'), refused, mtu: typeof mtu }));
`);
    const check = spawnSync(process.execPath, [tsc, '-p', dir], { encoding: 'utf8' });
    assert.is(check.status, 0, check.stdout + check.stderr);
    const out = execFileSync(process.execPath, [join(dir, 'out', 'main.js')], { cwd: dir, encoding: 'utf8' });
    assert.equal(JSON.parse(out), { lo: true, refused: 'mtu', mtu: 'number' });
    // The types are real: a wrong use does not compile.
    writeFileSync(join(dir, 'main.ts'), `import { Rtnl } from 'netlink-ts';\nconst nl = Rtnl.openSync();\nconst n: number = (await nl.link.get('lo')).name;\n`);
    const bad = spawnSync(process.execPath, [tsc, '-p', dir], { encoding: 'utf8' });
    assert.is.not(bad.status, 0);
    assert.match(bad.stdout, /not assignable to type 'number'/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
