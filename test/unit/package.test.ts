// The package as `npm pack` makes it, installed into scratch projects of every
// shape a user may have: TypeScript with `module: nodenext` under
// `type: module` and under `type: commonjs`, TypeScript with
// `moduleResolution: bundler`, and plain JavaScript with import and with
// require. Each type-checks (and a wrong use fails to), runs, and sees the
// same public surface, on the running Node and on Node 22 and 24 (from the
// registry's node-linux-* packages, cached: test/helpers/node-versions.ts).
// SLOW for a unit test (npm pack, one offline npm install, three tsc runs in
// parallel: several seconds; the first run downloads the other Nodes); it
// needs the built dist/ that `npm test` makes first.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { OTHER_NODE_MAJORS, nodeBinary } from '../helpers/node-versions.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const dir = mkdtempSync(join(tmpdir(), 'nlts-consumer-'));
const pkg = join(dir, 'node_modules', 'netlink-ts');

/** What every consumer prints: the exports it sees, lo, and a kernel error caught by class. */
const BODY = `
  const nl = Rtnl.openSync();
  try {
    const lo = await nl.link.get('lo');
    let code = '';
    try { await nl.link.get('nlts-absent0'); } catch (err) { if (err instanceof NetlinkError) code = err.code; }
    console.log(JSON.stringify({ exports: Object.keys(api).sort(), lo: lo.name, code }));
  } finally {
    nl.close();
  }
`;
const TS_MAIN = `import * as api from 'netlink-ts';
import { NetlinkError, Rtnl, type Link } from 'netlink-ts';
async function run(): Promise<void> {
  const typed: (name: string) => Promise<Link> = (name) => Rtnl.openSync().link.get(name);
  void typed;
${BODY}}
void run();
`;

function tsconfig(module: string, moduleResolution: string, skipLibCheck = true): string {
  return JSON.stringify({
    compilerOptions: {
      target: 'ES2022', module, moduleResolution, strict: true, outDir: 'out',
      // A Node project has @types/node; borrow ours rather than install it again.
      lib: ['ES2022', 'ESNext.Disposable'], types: ['node'], typeRoots: [join(root, 'node_modules', '@types')], skipLibCheck,
    },
    include: ['main.ts'],
  });
}

interface Shape { name: string; type: 'module' | 'commonjs'; tsconfig?: string; source: [file: string, text: string]; run: string }
const SHAPES: Shape[] = [
  { name: 'ts-esm-nodenext', type: 'module', tsconfig: tsconfig('NodeNext', 'NodeNext'), source: ['main.ts', TS_MAIN], run: 'out/main.js' },
  // Checks the declarations themselves too, as CommonJS (dist/cjs-types): the slowest check, done once.
  { name: 'ts-cjs-nodenext', type: 'commonjs', tsconfig: tsconfig('NodeNext', 'NodeNext', false), source: ['main.ts', TS_MAIN], run: 'out/main.js' },
  { name: 'ts-bundler', type: 'module', tsconfig: tsconfig('ESNext', 'Bundler'), source: ['main.ts', TS_MAIN], run: 'out/main.js' },
  { name: 'js-import', type: 'module', source: ['main.js', `import * as api from 'netlink-ts';\nimport { NetlinkError, Rtnl } from 'netlink-ts';\n${BODY}`], run: 'main.js' },
  { name: 'js-require', type: 'commonjs', source: ['main.js', `const api = require('netlink-ts');\nconst { NetlinkError, Rtnl } = api;\n(async () => {${BODY}})();\n`], run: 'main.js' },
];

const run = promisify(execFile);
let packed: string[] = [];

test.before(() => {
  const json = execFileSync('npm', ['pack', '--json', '--pack-destination', dir, '--ignore-scripts'], { cwd: root, encoding: 'utf8' });
  const [info] = JSON.parse(json) as { filename: string; files: { path: string }[] }[];
  packed = info!.files.map((f) => f.path);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  // ffi-rs comes from npm's cache where it can (npm ci of this repository filled it), else the registry.
  execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--no-save', join(dir, info!.filename)], { cwd: dir, stdio: 'pipe' });
  for (const s of SHAPES) {
    const d = join(dir, s.name);
    mkdirSync(d);
    writeFileSync(join(d, 'package.json'), JSON.stringify({ name: s.name, private: true, type: s.type }));
    if (s.tsconfig) writeFileSync(join(d, 'tsconfig.json'), s.tsconfig);
    writeFileSync(join(d, s.source[0]), s.source[1]);
  }
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

/** What tsc reports for the typed shapes ('' when all are clean), compiled once for every Node that runs them. */
let compiled: Promise<string> | undefined;
function compile(): Promise<string> {
  compiled ??= Promise.all(SHAPES.filter((s) => s.tsconfig).map((s) =>
    run(process.execPath, [tsc, '-p', join(dir, s.name)], { encoding: 'utf8' }).then(() => '', (e: { stdout: string; stderr: string }) => `${s.name}: ${e.stdout}${e.stderr}`)))
    .then((reports) => reports.join(''));
  return compiled;
}

interface Seen { name: string; exports: string[]; lo: string; code: string }

/** Runs every compiled shape with the `node` at `nodePath` and checks each one's line. */
function runShapes(nodePath: string, label: string): Seen[] {
  const outs = SHAPES.map((s) => {
    // An empty NODE_V8_COVERAGE: another Node's child writes no profile into this run's coverage.
    const r = spawnSync(nodePath, [join(dir, s.name, s.run)], { cwd: join(dir, s.name), encoding: 'utf8', env: { ...process.env, NODE_V8_COVERAGE: '' } });
    assert.is(r.status, 0, `${s.name} runs on ${label}: ${r.stderr}`);
    return { name: s.name, ...JSON.parse(r.stdout) as { exports: string[]; lo: string; code: string } };
  });
  const [first] = outs;
  assert.ok(first!.exports.length > 50, 'the public surface');
  for (const o of outs) {
    assert.is(o.lo, 'lo', `${o.name} on ${label}`);
    assert.is(o.code, 'ENODEV', `${o.name} on ${label}: a kernel error is a NetlinkError`);
    assert.equal(o.exports, first!.exports, `${o.name} sees what ${first!.name} sees on ${label}`);
  }
  return outs;
}

let surface: string[] = [];

test('every project shape type-checks, runs and sees the same exports', async () => {
  assert.is(await compile(), '', 'tsc reports nothing');
  surface = runShapes(process.execPath, process.version)[0]!.exports;
});

test('on Node 22 and 24 too: every shape runs and sees the same exports, and the command runs', async () => {
  assert.is(await compile(), '', 'tsc reports nothing');
  for (const major of OTHER_NODE_MAJORS) {
    const node = nodeBinary(major);
    if (!('path' in node)) {
      // CI fetches them first (.ci/run): there a missing Node is a failure, not a skip.
      assert.is.not(process.env.NETLINK_TS_REQUIRE_NODES, '1', `${node.skipped} (NETLINK_TS_REQUIRE_NODES=1)`);
      console.log(`skipped: ${node.skipped}`);
      continue;
    }
    const outs = runShapes(node.path, `node ${node.version}`);
    assert.equal(outs[0]!.exports, surface, `node ${node.version} sees the surface ${process.version} sees`);
    const help = spawnSync(node.path, [join(pkg, 'dist', 'bundle', 'cli.js'), 'help'], { encoding: 'utf8', env: { ...process.env, NODE_V8_COVERAGE: '' } });
    assert.match(help.stdout, /^usage: netlink-ts/, `the command on node ${node.version}: ${help.stderr}`);
  }
});

test('the types are real in both module systems: a wrong use does not compile', async () => {
  const results = await Promise.all(['ts-esm-nodenext', 'ts-cjs-nodenext'].map((shape) => {
    const d = join(dir, `${shape}-bad`);
    mkdirSync(d);
    const s = SHAPES.find((x) => x.name === shape)!;
    writeFileSync(join(d, 'package.json'), JSON.stringify({ private: true, type: s.type }));
    writeFileSync(join(d, 'tsconfig.json'), tsconfig('NodeNext', 'NodeNext'));
    writeFileSync(join(d, 'main.ts'), `import { Rtnl } from 'netlink-ts';\nexport async function f(): Promise<number> { return (await Rtnl.openSync().link.get('lo')).name; }\n`);
    return run(process.execPath, [tsc, '-p', d], { encoding: 'utf8' }).then(() => ({ shape, status: 0, stdout: '' }),
      (e: { code: number; stdout: string }) => ({ shape, status: e.code, stdout: e.stdout }));
  }));
  for (const r of results) {
    assert.is.not(r.status, 0, r.shape);
    assert.match(r.stdout, /not assignable to type 'number'/, r.shape);
  }
});

test('the installed command runs', () => {
  const out = execFileSync(join(dir, 'node_modules', '.bin', 'netlink-ts'), ['help'], { encoding: 'utf8' });
  assert.match(out, /^usage: netlink-ts/);
});

test('the package ships what its files reference, and nothing compiles on install', () => {
  const shipped = new Set(packed);
  let maps = 0;
  for (const f of packed.filter((p) => /\.(c?js)$/.test(p))) {
    const ref = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(join(pkg, f), 'utf8'))?.[1];
    if (!ref) continue;
    const map = join(dirname(f), ref);
    assert.ok(shipped.has(map), `${f} references ${ref}, which is shipped`);
    for (const source of (JSON.parse(readFileSync(join(pkg, map), 'utf8')) as { sources: string[] }).sources) {
      assert.ok(shipped.has(join(dirname(map), source)), `${map} names ${source}, which is shipped`);
    }
    maps++;
  }
  assert.ok(maps > 0, 'the bundles have source maps');
  const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) assert.is(manifest.scripts?.[hook], undefined, `no ${hook} script`);
  // The library's helper scripts sit beside both builds.
  for (const f of ['dist/bundle/exec-helper.js', 'dist/bundle/probe.js']) assert.ok(existsSync(join(pkg, f)), f);
});

test.run();
