// W3: 100,000 IPv4 routes added, dumped and flushed. W4: dumping and
// decoding 100,000 routes: in the bench's (warm) process, and as a whole
// fresh process (load, dump, decode) beside a C client and ip; then the
// command line's `route show` into a pipe beside ip's. On one veth link of
// the bench namespace, set up as the anchors' link is.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rtnl } from '../src/client.js';
import { FRESH, type Row, type Tool, WARM, batchedTools, cliArgv, freshPhase, measure } from './harness.js';
import { batchArgv, batchOf, ip, perProcess } from './iproute2.js';
import { PHASES, ROUTE_DEV as DEV, hostAddr as dst } from './phases.js';

const lines = (n: number, verb: string, from = 0): string[] => Array.from({ length: n - from }, (_, i) => `route ${verb} ${dst(from + i)} dev ${DEV}`);

function setup(): void {
  ip('link', 'add', DEV, 'type', 'veth', 'peer', 'name', 'nlts-r1');
  ip('link', 'set', DEV, 'up');
}
const teardown = (): void => { ip('link', 'del', DEV); };

/** W3. `sample`: how many routes the process-per-command tool adds itself (the rest by ip -batch, untimed). */
export async function routesAddDumpFlush(nl: Rtnl, n: number, sample: number, repeats: number): Promise<Row[]> {
  setup();
  try {
    const tools: Tool[] = [
      { label: `netlink-ts (one at a time, ${WARM})`, run: async (time) => {
        await time('add', async () => { for (let i = 0; i < n; i++) await nl.route.add({ dst: dst(i), dev: DEV }); });
        await time('dump', () => nl.route.list({ table: 'main' }));
        await time('flush', async () => { for (const r of await nl.route.list({ dev: DEV, table: 'main' })) await nl.route.del(r); });
      } },
      ...batchedTools(nl, n, [['add', 'routes-add'], ['dump', 'routes-dump'], ['flush', 'routes-flush']]),
      { label: 'ip (process per command)', run: async (time, proc) => {
        const k = Math.min(sample, n);
        const timed = lines(k, 'add');
        await time('add', () => perProcess('ip', timed), { scale: n / k });
        batchOf('ip', lines(n, 'add', k))();
        proc('dump', ['ip', '-j', 'route', 'show']);
        proc('flush', ['ip', 'route', 'flush', 'dev', DEV]);
      } },
      { label: 'ip -batch', run: async (_time, proc) => {
        proc('add', batchArgv('ip', lines(n, 'add')));
        proc('flush', batchArgv('ip', [`route flush dev ${DEV}`]));
      } },
    ];
    return (await measure('W3', n, tools, repeats));
  } finally {
    teardown();
  }
}

const cSource = join(resolve(dirname(fileURLToPath(import.meta.url)), '..', '..'), 'bench', 'c', 'dump-routes.c');

/** The C floor, compiled now into a temporary directory; undefined (and a line saying why) without a compiler. */
function cClient(): { argv: string[]; dispose(): void } | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'nlts-bench-c-'));
  const bin = join(dir, 'dump-routes');
  try {
    execFileSync('cc', ['-O2', '-o', bin, cSource], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    process.stderr.write(`\nW4: no C floor row: cannot compile bench/c/dump-routes.c with cc (${(err as Error).message.split('\n')[0]})\n`);
    return undefined;
  }
  return { argv: [bin], dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** W4: the table made once, then dumped and decoded `repeats` times by each tool in turn. */
export async function routesDump(nl: Rtnl, n: number, repeats: number): Promise<Row[]> {
  setup();
  const c = cClient();
  try {
    await PHASES['routes-add']!(nl, n, null!);
    const whole = 'whole process: load, dump, decode';
    const pipe = 'route show --json into a pipe';
    const text = 'route show into a pipe';
    const tools: Tool[] = [
      { label: `netlink-ts route.list() (${WARM})`, run: async (time) => { await time('dump + decode', () => nl.route.list({ table: 'main' })); } },
      { label: `netlink-ts route.stream() (${WARM})`, run: async (time) => {
        await time('dump + decode', () => PHASES['routes-stream']!(nl, n, null!));
      } },
      { label: `netlink-ts route.list() (${FRESH})`, run: async (_time, proc) => { proc(whole, freshPhase('routes-dump', n)); } },
      { label: `netlink-ts route.stream() (${FRESH})`, run: async (_time, proc) => { proc(whole, freshPhase('routes-stream', n)); } },
      ...(c ? [{ label: `C client, no library (${FRESH})`, run: async (_time, proc) => { proc(whole, c.argv); } } satisfies Tool] : []),
      { label: 'ip -j route show', run: async (_time, proc) => { proc(whole, ['ip', '-j', 'route', 'show']); } },
      { label: 'netlink-ts route show --json', run: async (_time, proc) => { proc(pipe, cliArgv('route', 'show', '--json'), { pipe: true }); } },
      { label: 'ip -j route show | cat', run: async (_time, proc) => { proc(pipe, ['ip', '-j', 'route', 'show'], { pipe: true }); } },
      { label: 'netlink-ts route show', run: async (_time, proc) => { proc(text, cliArgv('route', 'show'), { pipe: true }); } },
      { label: 'ip route show | cat', run: async (_time, proc) => { proc(text, ['ip', 'route', 'show'], { pipe: true }); } },
    ];
    return await measure('W4', n, tools, repeats);
  } finally {
    c?.dispose();
    teardown();
  }
}
