// The long fuzzing run, by hand: `npm run fuzz -- --inputs 1000000`.
//
//   --inputs N       inputs to generate (default 100000)
//   --seed S         run seed (default: the time); input i of seed S is always the same bytes
//   --from I         first input number (to reproduce one: --seed S --from I --inputs 1)
//   --jobs J         worker threads (default 1; the machine is shared)
//   --target NAME    only this target (repeatable); --list shows them all
//   --timeout-ms T   an input that takes longer is a hang (default 5000)
//   --no-save        do not add failing inputs to test/fuzz/corpus
//
// Checks the seeds and replays the corpus first, then fuzzes; prints the
// figures (inputs, seconds, corpus size) and exits non-zero on any failure.
import type { Failure } from './checks.js';
import { CORPUS_DIR, loadCorpus, minimize, saveToCorpus } from './corpus.js';
import { poolOf } from './engine.js';
import { supervise } from './supervise.js';
import { TARGETS } from './targets.js';

function parse(argv: string[]): Record<string, string | string[] | boolean> {
  const o: Record<string, string | string[] | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    const k = a.slice(2);
    if (k === 'no-save' || k === 'list') { o[k] = true; continue; }
    const v = argv[++i];
    if (v === undefined) throw new Error(`${a} needs a value`);
    if (k === 'target') o[k] = [...((o[k] as string[]) ?? []), v];
    else o[k] = v;
  }
  return o;
}

function num(v: unknown, name: string, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, got ${String(v)}`);
  return n;
}

function report(title: string, failures: Failure[], save: boolean): number {
  if (!failures.length) return 0;
  const groups = new Map<string, Failure[]>();
  for (const f of failures) {
    const k = `${f.target} ${f.kind}: ${f.detail.split('\n')[0]!.replace(/^(seed \d+ input \d+|corpus item \d+|[^:]*#[^:]*): /, '').replace(/\d+/g, 'N').slice(0, 120)}`;
    groups.set(k, [...(groups.get(k) ?? []), f]);
  }
  console.log(`\n${title}: ${failures.length} failures in ${groups.size} groups`);
  for (const [k, fs] of groups) {
    console.log(`  ${fs.length}× ${k}\n    e.g. ${fs[0]!.detail.replace(/\n/g, '\n    ').slice(0, 800)}`);
    if (save) {
      const kept = saveToCorpus(minimize(fs[0]!));
      if (kept) console.log(`    kept as test/fuzz/corpus/${kept}`);
    }
  }
  return failures.length;
}

async function main(): Promise<void> {
  const o = parse(process.argv.slice(2));
  if (o.list) {
    for (const t of TARGETS) console.log(`${t.name.padEnd(28)} ${t.input.padEnd(8)} ${poolOf(t).seeds.length} seeds${t.schema ? ', round trip' : ''}`);
    return;
  }
  const inputs = num(o.inputs, 'inputs', 100_000);
  const seed = num(o.seed, 'seed', Date.now() % 2 ** 31);
  const from = num(o.from, 'from', 0);
  const jobs = num(o.jobs, 'jobs', 1);
  const timeoutMs = num(o['timeout-ms'], 'timeout-ms', 5000);
  const targets = o.target as string[] | undefined;
  const save = !o['no-save'];
  let failed = 0;

  const seeds = await supervise({ mode: 'seeds', targets, timeoutMs });
  console.log(`seeds: ${seeds.inputs} checked in ${seeds.seconds.toFixed(1)} s (${seeds.stats.reencoded} round-tripped)`);
  failed += report('seeds', seeds.failures, false);

  const corpus = loadCorpus().filter((c) => !targets || targets.includes(c.target));
  const replay = await supervise({ mode: 'list', items: corpus, timeoutMs });
  console.log(`corpus: ${corpus.length} inputs replayed in ${replay.seconds.toFixed(1)} s`);
  failed += report('corpus', replay.failures, false);

  console.log(`fuzzing: seed ${seed}, inputs ${from}..${from + inputs - 1}, ${targets?.length ?? TARGETS.length} targets, ${jobs} job(s)`);
  const r = await supervise({
    mode: 'range', seed, from, inputs, jobs, targets, timeoutMs,
    onProgress: (n) => process.stdout.write(`  ${n} inputs…\n`),
  });
  const perTarget = Object.entries(r.perTarget).map(([k, v]) => `${k} ${v}`).join(', ');
  console.log(`fuzzed ${r.inputs} inputs in ${r.seconds.toFixed(1)} s (${Math.round(r.inputs / r.seconds)}/s); ` +
    `${r.stats.clean} decoded clean, ${r.stats.reencoded} re-encoded and stable, ${r.stats.refused} not re-encodable; ` +
    `slowest input ${r.slowestMs.toFixed(1)} ms (${r.slowest?.target ?? '-'} #${r.slowest?.index ?? '-'})`);
  console.log(`per target: ${perTarget}`);
  failed += report('fuzzing', r.failures, save);
  console.log(`corpus size: ${loadCorpus().length} inputs in ${CORPUS_DIR}`);
  console.log(failed ? `${failed} failures` : 'no failures');
  process.exitCode = failed ? 1 : 0;
}

await main();
