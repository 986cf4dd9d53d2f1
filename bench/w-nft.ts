// W12: a 10,000-rule nftables ruleset (one inet table, a base chain of
// `ip saddr A tcp dport P accept` rules), loaded and listed: `nft -f` and
// `nft -j list ruleset` beside `netlink-ts nft -f` (the same ruleset in nft's
// JSON form) and `netlink-ts nft list ruleset -j`, each a fresh process, and
// Nft.load / Nft.listJson in the bench's warm process. Each load starts by
// flushing the ruleset, in the same transaction.
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { Nft } from '../src/nft/client.js';
import type { NftDocument } from '../src/nft/document.js';
import { FRESH, type Row, type Tool, WARM, cliArgv, measure } from './harness.js';

export async function nftRuleset(n: number, repeats: number): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'nlts-bench-nft-'));
  const text = join(dir, 'ruleset.nft');
  const json = join(dir, 'ruleset.json');
  const rules = Array.from({ length: n }, (_, i) => `    ip saddr 198.18.${(i >> 8) & 255}.${i & 255} tcp dport ${1024 + (i % 60000)} accept`);
  writeFileSync(text, ['flush ruleset', 'table inet bench {', '  chain input {', '    type filter hook input priority 0; policy accept;', ...rules, '  }', '}', ''].join('\n'));
  execFileSync('nft', ['-f', text]);
  const listed = JSON.parse(execFileSync('nft', ['-j', 'list', 'ruleset'], { encoding: 'utf8', maxBuffer: 1 << 30 })) as NftDocument;
  const doc: NftDocument = { nftables: [{ flush: { ruleset: null } }, ...listed.nftables.slice(1)] };
  writeFileSync(json, JSON.stringify(doc));
  const nft = Nft.open();
  try {
    const count = (await nft.list()).rules.length;
    if (count !== n) throw new Error(`bench: ${count} rules listed, expected ${n}`);
    const tools: Tool[] = [
      { label: 'nft -f', run: async (_time, proc) => { proc('load', ['nft', '-f', text]); proc('list', ['nft', '-j', 'list', 'ruleset'], { pipe: true }); } },
      { label: `netlink-ts nft (${FRESH})`, run: async (_time, proc) => { proc('load', cliArgv('nft', '-f', json)); proc('list', cliArgv('nft', 'list', 'ruleset', '-j'), { pipe: true }); } },
      { label: `netlink-ts Nft.load / listJson (${WARM})`, run: async (time) => {
        await time('load', () => nft.load(doc));
        await time('list', () => nft.listJson());
      } },
    ];
    return await measure('W12', n, tools, repeats);
  } finally {
    nft.close();
    execFileSync('nft', ['flush', 'ruleset']);
    rmSync(dir, { recursive: true, force: true });
  }
}
