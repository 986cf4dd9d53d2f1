// `npm run build`, second step (after tsc): the files the package ships and
// runs. Node's module loader costs time per file (resolve, read, compile) and
// opens every file of an import graph at once, so ~250 tsc output files made
// start-up slow and hit EMFILE under a low `ulimit -n` (docs/packaging.md).
// esbuild joins them:
//   dist/bundle/index.js    the library, ESM, one file
//   dist/bundle/index.cjs   the same library for require(), one file
//   dist/bundle/cli.js      the command (package.json bin), and cli-main.js it loads
//   dist/bundle/exec-helper.js, probe.js, measure.js   scripts the library runs as processes
//   dist/cjs-types/         the .d.ts files again, read as CommonJS declarations
// All .js files sit in one folder: the library finds its helper scripts next
// to itself (new URL('./exec-helper.js', import.meta.url)).
import { build, type BuildOptions } from 'esbuild';
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(root, 'dist', 'bundle');
const src = (path: string): string => join(root, 'src', path);

const common: BuildOptions = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  // A native addon: it must stay a package of its own, found in node_modules.
  external: ['ffi-rs'],
  outdir: out,
  // The maps point at src/*.ts, which the package ships beside them once
  // (three maps that each carried the sources would triple their weight):
  // with --enable-source-maps, stack traces show the TypeScript lines.
  sourcemap: true,
  sourcesContent: false,
  logLevel: 'warning',
};


const IMPORT_META_URL = '__netlinkTsImportMetaUrl';

function ynlTables(): string[] {
  return readdirSync(src('generated/ynl')).filter((f) => f.endsWith('.ts') && f !== 'index.ts');
}

rmSync(out, { recursive: true, force: true });
await Promise.all([
  build({
    ...common,
    format: 'esm',
    entryPoints: [
      { in: src('index.ts'), out: 'index' },
      { in: src('netns/exec-helper.ts'), out: 'exec-helper' },
      { in: src('lab/probe.ts'), out: 'probe' },
      { in: src('lab/measure.ts'), out: 'measure' },
      // Generic netlink families' tables, each a file of its own beside the
      // bundle, loaded when a family is first used (src/generated/ynl/index.ts).
      ...ynlTables().map((f) => ({ in: src(`generated/ynl/${f}`), out: f.replace(/\.ts$/, '') })),
    ],
  }),
  build({
    ...common,
    format: 'cjs',
    entryPoints: [{ in: src('index.ts'), out: 'index' }],
    outExtension: { '.js': '.cjs' },
    // import.meta.url has no CommonJS counterpart: the CJS build uses its own
    // file's URL instead, so the helper scripts are found beside index.cjs
    // too. The banner restates "use strict" because it comes before esbuild's.
    define: { 'import.meta.url': IMPORT_META_URL },
    banner: { js: `"use strict";\nconst ${IMPORT_META_URL} = require('node:url').pathToFileURL(__filename).href;` },
  }),
  // The command: cli.js only turns on the compile cache (bin.ts), then loads
  // cli-main.js, which holds the whole command line in one file. Commands are
  // still imported on demand (main.ts), so only the running command's
  // modules are initialised; one file was as fast as esbuild's per-command
  // chunks on Node 20, where each extra file costs more than the parsing it
  // saves (bench/startup.ts).
  build({
    ...common,
    format: 'esm',
    entryPoints: [{ in: src('cli/bin.ts'), out: 'cli' }],
    plugins: [{
      name: 'cli-main',
      setup(b) {
        b.onResolve({ filter: /^\.\/main\.js$/ }, () => ({ path: './cli-main.js', external: true }));
      },
    }],
  }),
  build({
    ...common,
    format: 'esm',
    entryPoints: [{ in: src('cli/main.ts'), out: 'cli-main' }],
  }),
]);

// TypeScript reads a .d.ts as ESM or CommonJS by the nearest package.json;
// require() consumers get this copy, marked CommonJS.
const cjsTypes = join(root, 'dist', 'cjs-types');
rmSync(cjsTypes, { recursive: true, force: true });
mkdirSync(cjsTypes, { recursive: true });
cpSync(join(root, 'dist', 'src'), cjsTypes, { recursive: true, filter: (p) => !/\.(js|js\.map)$/.test(p) });
writeFileSync(join(cjsTypes, 'package.json'), `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);
