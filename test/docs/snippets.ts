// The TypeScript snippets of README.md and docs/*.md, as the test command checks
// them (docs/testing.md, "Documentation snippets"): each ```ts block becomes a
// module of a scratch project that imports the package by its own name, all of
// them are type-checked in one tsc run, and the kernel tier runs each one in a
// network namespace of its own. A fence word says what a block is not:
// `no-run` (type-checked, never run) or `fragment` (neither: a piece that needs
// the names of the text around it).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type SnippetMarker = 'no-run' | 'fragment';
const MARKERS: readonly string[] = ['no-run', 'fragment'];

export interface Snippet {
  /** Path relative to the repository root, e.g. `docs/links.md`. */
  file: string;
  /** 1-based line of the first line of code (the one after the fence). */
  line: number;
  markers: SnippetMarker[];
  code: string;
  /** The module's name in the scratch project: `docs-links-1` (the first block of docs/links.md). */
  id: string;
}

/** The ```ts blocks of one Markdown text. Throws on an unknown fence word or an unclosed block, naming the line. */
export function parseSnippets(file: string, text: string): Snippet[] {
  const out: Snippet[] = [];
  const lines = text.split('\n');
  let open: { line: number; markers: SnippetMarker[]; body: string[] } | undefined;
  let fence = false; // inside a fence of another language
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (open) {
      if (/^```\s*$/.test(l)) {
        const n = out.filter((s) => s.file === file).length + 1;
        out.push({ file, line: open.line, markers: open.markers, code: open.body.join('\n') + '\n', id: `${file.replace(/\.md$/, '').replace(/[^A-Za-z0-9]+/g, '-')}-${n}` });
        open = undefined;
      } else open.body.push(l);
      continue;
    }
    const m = /^```(\S*)(.*)$/.exec(l);
    if (!m) continue;
    if (fence) { fence = false; continue; }
    if (m[1] !== 'ts' && m[1] !== 'typescript') { fence = m[1] !== undefined; continue; }
    const words = m[2]!.trim().split(/\s+/).filter(Boolean);
    for (const w of words) {
      if (!MARKERS.includes(w)) throw new Error(`${file}:${i + 1}: unknown word "${w}" on a ts fence (known: ${MARKERS.join(', ')})`);
    }
    open = { line: i + 2, markers: words as SnippetMarker[], body: [] };
  }
  if (open) throw new Error(`${file}:${open.line - 1}: a ts block that is never closed`);
  return out;
}

/** Every snippet of README.md and docs/*.md under `root`. */
export function collectSnippets(root: string): Snippet[] {
  const files = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];
  return files.flatMap((f) => parseSnippets(f, readFileSync(join(root, f), 'utf8')));
}

export const checked = (s: Snippet): boolean => !s.markers.includes('fragment');
export const runnable = (s: Snippet): boolean => checked(s) && !s.markers.includes('no-run');

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
  // `export {}`: a snippet without an import is still a module (top-level await).
  for (const s of snippets) writeFileSync(join(dir, 'src', `${s.id}.ts`), `${s.code}export {};\n`);
}

export interface Diagnostic { snippet: Snippet; line: number; message: string }

/** One tsc run over the project; each error is mapped back to its Markdown file and line. */
export function compile(root: string, dir: string, snippets: readonly Snippet[]): { diagnostics: Diagnostic[]; output: string; status: number | null } {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', dir, '--pretty', 'false'], { cwd: dir, encoding: 'utf8' });
  const output = r.stdout + r.stderr;
  const byId = new Map(snippets.map((s) => [s.id, s]));
  const diagnostics: Diagnostic[] = [];
  for (const m of output.matchAll(/^src\/([^\s(]+)\.ts\((\d+),\d+\): error (.*)$/gm)) {
    const s = byId.get(m[1]!);
    if (s) diagnostics.push({ snippet: s, line: s.line + Number(m[2]) - 1, message: m[3]! });
  }
  return { diagnostics, output, status: r.status };
}
