// Start-up: what a user meets first. Every sample is a fresh process, timed
// from a shell so that the figures are the child's own: wall time between
// two $EPOCHREALTIME reads around it, CPU time (user + system) from bash's
// `times` for its children (getrusage, 1 ms resolution). The cases alternate
// within each round, beside `node -e 0` (Node's own floor on this machine,
// NODE_EXTRA_CA_CERTS and all) and `ip link show lo`, all in the same run.
// `npm run bench -- --only=startup`.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Row, freshProcess, median } from './harness.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const node = process.execPath;

interface Case { label: string; argv: string[] }

/** The shipped entries (dist/bundle) and, for comparison, the tsc output they replace (one file per module). */
const CASES: Case[] = [
  { label: 'node -e 0', argv: [node, '-e', '0'] },
  { label: 'ip link show lo', argv: ['ip', 'link', 'show', 'lo'] },
  { label: 'netlink-ts link show lo', argv: [node, join(root, 'dist', 'bundle', 'cli.js'), 'link', 'show', 'lo'] },
  { label: 'netlink-ts link show lo (tsc output)', argv: [node, join(root, 'dist', 'src', 'cli', 'bin.js'), 'link', 'show', 'lo'] },
  // 'netlink-ts' resolves to the package itself from the repository root, through its exports.
  { label: "import('netlink-ts')", argv: [node, '--input-type=module', '-e', "await import('netlink-ts')"] },
  { label: "require('netlink-ts')", argv: [node, '-e', "require('netlink-ts')"] },
  { label: 'import dist/src/index.js (tsc output)', argv: [node, '--input-type=module', '-e', `await import(${JSON.stringify(join(root, 'dist', 'src', 'index.js'))})`] },
];

const sample = (argv: string[]): { wall: number; cpu: number } => freshProcess(argv, { cwd: root });

const ms = (s: number): string => `${(s * 1e3).toFixed(1)}`;

/** Runs every case `samples` times, alternating; prints min/median/max and the targets; returns wall and CPU rows. */
export function startup(samples: number): Row[] {
  const wall = CASES.map(() => [] as number[]);
  const cpu = CASES.map(() => [] as number[]);
  for (let r = 0; r < samples; r++) {
    CASES.forEach((c, i) => {
      const t = sample(c.argv);
      wall[i]!.push(t.wall);
      cpu[i]!.push(t.cpu);
    });
    if (r % 5 === 4) process.stderr.write('.');
  }
  const w = Math.max(...CASES.map((c) => c.label.length));
  const stats = (xs: number[]): string => `${ms(Math.min(...xs)).padStart(7)} ${ms(median(xs)).padStart(7)} ${ms(Math.max(...xs)).padStart(7)}`;
  const lines = [
    `\nstart-up, ${samples} fresh processes each (ms)${process.env.NODE_EXTRA_CA_CERTS ? '; NODE_EXTRA_CA_CERTS is set, which every Node start pays for' : ''}`,
    `  ${''.padEnd(w)}  ${'wall: min  median     max'.padStart(25)}   ${'CPU: min  median     max'.padStart(24)}`,
    ...CASES.map((c, i) => `  ${c.label.padEnd(w)}  ${stats(wall[i]!)}   ${stats(cpu[i]!)}`),
  ];
  // The targets are on wall time; CPU time beside them, since on a loaded machine wall time also measures the wait for a core.
  const med = (of: number[][], label: string): number => median(of[CASES.findIndex((c) => c.label === label)]!);
  const ratio = (of: number[][]): number => med(of, 'netlink-ts link show lo') / med(of, 'node -e 0');
  const over = (of: number[][]): number => med(of, "import('netlink-ts')") - med(of, 'node -e 0');
  lines.push('Targets (medians of wall time, same run; CPU time in brackets):',
    `  ${ratio(wall) <= 2 ? 'met   ' : 'MISSED'} netlink-ts link show lo: ${ratio(wall).toFixed(2)}× node -e 0 (CPU ${ratio(cpu).toFixed(2)}×; target at most 2×)`,
    `  ${over(wall) <= 0.06 ? 'met   ' : 'MISSED'} import('netlink-ts'): ${ms(over(wall))} ms above node -e 0 (CPU ${ms(over(cpu))} ms; target at most 60 ms)`);
  console.log(lines.join('\n'));
  return CASES.flatMap((c, i) => [
    { workload: 'startup', phase: 'wall', tool: c.label, n: 1, seconds: wall[i]! },
    { workload: 'startup', phase: 'CPU', tool: c.label, n: 1, seconds: cpu[i]! },
  ]);
}
