// The code snippets of README.md and docs/*.md, as the test command checks
// them (docs/testing.md, "Documentation snippets"): each ```ts block becomes a
// module of a scratch project that imports the package by its own name, all of
// them are type-checked in one tsc run, and the kernel tier runs each one in a
// network namespace of its own; a ```js block is plain JavaScript (an ES
// module), syntax-checked and run as it is. A fence word says what a block is not:
// `no-run` (type-checked, never run) or `fragment` (neither: a piece that needs
// the names of the text around it).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** real-root: runs only as the real root (/dev/net/tun...), not in the test command's user namespace. */
export type SnippetMarker = 'no-run' | 'fragment' | 'real-root';
const MARKERS: readonly string[] = ['no-run', 'fragment', 'real-root'];

export interface Snippet {
  lang: 'ts' | 'js';
  /** Path relative to the repository root, e.g. `docs/links.md`. */
  file: string;
  /** 1-based line of the first line of code (the one after the fence). */
  line: number;
  markers: SnippetMarker[];
  code: string;
  /** The module's name in the scratch project: `docs-links-1` (the first block of docs/links.md; `-js-1` for js). */
  id: string;
}

/** The ```ts and ```js blocks of one Markdown text. Throws on an unknown fence word or an unclosed block, naming the line. */
export function parseSnippets(file: string, text: string): Snippet[] {
  const out: Snippet[] = [];
  const lines = text.split('\n');
  let open: { lang: 'ts' | 'js'; line: number; markers: SnippetMarker[]; body: string[] } | undefined;
  let fence = false; // inside a fence of another language
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (open) {
      if (/^```\s*$/.test(l)) {
        const { lang } = open;
        const n = out.filter((s) => s.file === file && s.lang === lang).length + 1;
        const id = `${file.replace(/\.md$/, '').replace(/[^A-Za-z0-9]+/g, '-')}${lang === 'js' ? '-js' : ''}-${n}`;
        out.push({ lang, file, line: open.line, markers: open.markers, code: open.body.join('\n') + '\n', id });
        open = undefined;
      } else open.body.push(l);
      continue;
    }
    const m = /^```(\S*)(.*)$/.exec(l);
    if (!m) continue;
    if (fence) { fence = false; continue; }
    const lang = m[1] === 'ts' || m[1] === 'typescript' ? 'ts' : m[1] === 'js' || m[1] === 'javascript' ? 'js' : undefined;
    if (!lang) { fence = true; continue; }
    const words = m[2]!.trim().split(/\s+/).filter(Boolean);
    for (const w of words) {
      if (!MARKERS.includes(w)) throw new Error(`${file}:${i + 1}: unknown word "${w}" on a ${lang} fence (known: ${MARKERS.join(', ')})`);
    }
    open = { lang, line: i + 2, markers: words as SnippetMarker[], body: [] };
  }
  if (open) throw new Error(`${file}:${open.line - 1}: a ${open.lang} block that is never closed`);
  return out;
}

/** Every snippet of README.md and docs/*.md under `root`. */
export function collectSnippets(root: string): Snippet[] {
  const files = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];
  return files.flatMap((f) => parseSnippets(f, readFileSync(join(root, f), 'utf8')));
}

export const checked = (s: Snippet): boolean => !s.markers.includes('fragment');
export const runnable = (s: Snippet): boolean => checked(s) && !s.markers.includes('no-run') &&
  !(s.markers.includes('real-root') && process.env.NETLINK_TS_TEST_USERNS === '1');

/**
 * Writes a scratch project in `dir`: node_modules/netlink-ts links to the
 * checkout, so the snippets resolve the package by its name through its
 * package.json (types from dist/src, code from dist/bundle: build first).
 */
export function writeProject(root: string, dir: string, snippets: readonly Snippet[]): void {
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  symlinkSync(root, join(dir, 'node_modules', 'netlink-ts'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }));
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2022', 'ESNext.Disposable'],
      types: ['node'], typeRoots: [join(root, 'node_modules', '@types')], strict: true, skipLibCheck: true,
      noUnusedLocals: false, outDir: 'out', rootDir: 'src',
    },
    include: ['src/*.ts'],
  }, null, 2));
  mkdirSync(join(dir, 'src'));
  mkdirSync(join(dir, 'out'));
  // `export {}`: a snippet without an import is still a module (top-level await).
  for (const s of snippets) {
    if (s.lang === 'ts') writeFileSync(join(dir, 'src', `${s.id}.ts`), `${s.code}export {};\n`);
    else writeFileSync(join(dir, 'out', `${s.id}.mjs`), s.code);
  }
}

/** Where a snippet's JavaScript is once compile() has run. */
export function scriptOf(dir: string, s: Snippet): string {
  return join(dir, 'out', s.lang === 'ts' ? `${s.id}.js` : `${s.id}.mjs`);
}

export interface Diagnostic { snippet: Snippet; line: number; message: string }

/**
 * One tsc run over the ts snippets, and `node --check` (this Node's syntax)
 * on each js one; each error is mapped back to its Markdown file and line.
 */
export function compile(root: string, dir: string, snippets: readonly Snippet[]): { diagnostics: Diagnostic[]; output: string; status: number | null } {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', dir, '--pretty', 'false'], { cwd: dir, encoding: 'utf8' });
  let output = r.stdout + r.stderr;
  let status = r.status;
  const byId = new Map(snippets.map((s) => [s.id, s]));
  const diagnostics: Diagnostic[] = [];
  for (const m of output.matchAll(/^src\/([^\s(]+)\.ts\((\d+),\d+\): error (.*)$/gm)) {
    const s = byId.get(m[1]!);
    if (s) diagnostics.push({ snippet: s, line: s.line + Number(m[2]) - 1, message: m[3]! });
  }
  for (const s of snippets.filter((x) => x.lang === 'js')) {
    const c = spawnSync(process.execPath, ['--check', scriptOf(dir, s)], { encoding: 'utf8' });
    if (c.status === 0) continue;
    status = c.status;
    output += c.stderr;
    // node --check prints "FILE:LINE" first, then the line, a caret and the error.
    const line = Number(/:(\d+)\n/.exec(c.stderr)?.[1] ?? 1);
    diagnostics.push({ snippet: s, line: s.line + line - 1, message: /^\w*Error: .*$/m.exec(c.stderr)?.[0] ?? c.stderr.trim() });
  }
  return { diagnostics, output, status };
}
