// W11: listing 100,000 conntrack entries beside `conntrack -L`. The entries
// are made by the library's createMany (its own timed phase, pipelined
// requests) in the bench namespace, with an nft `ct state` rule so that the
// namespace tracks connections; then each tool lists the same table in turn:
// the library in the bench's warm process and as a fresh process (load,
// dump, decode), the command line's `conntrack -L` text into a pipe beside
// conntrack-tools' own. Entries are UDP with a long timeout, so the table
// holds still while it is listed.
import type { ConntrackInput } from '../src/nfnetlink/conntrack/entry.js';
import { ConntrackApi } from '../src/nfnetlink/conntrack/api.js';
import { FRESH, type Row, type Tool, WARM, cliArgv, freshPhase, measure } from './harness.js';
import { execFileSync } from 'node:child_process';

const RULESET = 'table inet nlts_bench_ct {\n  chain out { type filter hook output priority 0; ct state new counter; }\n}';

/** Entry i: 198.18.x.y → 198.19.x.y, udp, ports from i. */
function entry(i: number): ConntrackInput {
  return {
    orig: { src: `198.18.${(i >> 8) & 255}.${i & 255}`, dst: `198.19.${(i >> 16) & 255}.${(i >> 8) & 255}`, protocol: 'udp', sport: 1024 + (i % 60000), dport: 53 },
    timeout: 3600,
  };
}

export async function conntrackWorkload(n: number, repeats: number): Promise<Row[]> {
  execFileSync('nft', ['-f', '-'], { input: RULESET });
  const ct = ConntrackApi.open();
  try {
    const inputs = Array.from({ length: n }, (_, i) => entry(i));
    const whole = 'whole process: load, dump, decode';
    const text = 'conntrack -L into a pipe';
    let created = false;
    const tools: Tool[] = [
      { label: `netlink-ts createMany (${WARM})`, run: async (time) => {
        // The first repeat creates the table everyone lists; later ones time the same create after a flush.
        if (created) await ct.flush();
        await time('create', async () => {
          const r = await ct.createMany(inputs);
          if (r.errors.length) throw r.errors[0];
        });
        created = true;
      } },
      { label: `netlink-ts list() (${WARM})`, run: async (time) => { await time('dump + decode', () => ct.list()); } },
      { label: `netlink-ts stream() (${WARM})`, run: async (time) => {
        await time('dump + decode', async () => { let k = 0; for await (const _ of ct.stream()) k++; return k; });
      } },
      { label: `netlink-ts list() (${FRESH})`, run: async (_time, proc) => { proc(whole, freshPhase('conntrack-list', n)); } },
      { label: 'netlink-ts conntrack -L', run: async (_time, proc) => { proc(text, cliArgv('conntrack', '-L'), { pipe: true }); } },
      { label: 'conntrack -L | cat', run: async (_time, proc) => { proc(text, ['conntrack', '-L'], { pipe: true }); } },
    ];
    return await measure('W11', n, tools, repeats);
  } finally {
    try { await ct.flush(); } catch { /* the namespace goes anyway */ }
    ct.close();
    try { execFileSync('nft', ['delete', 'table', 'inet', 'nlts_bench_ct']); } catch { /* gone */ }
  }
}
