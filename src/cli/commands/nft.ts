// `netlink-ts nft list ruleset|tables|table FAMILY NAME|chain FAMILY TABLE NAME [-j]`,
// `netlink-ts nft -f FILE` (the JSON form, as `nft -j -f FILE` reads it),
// `netlink-ts nft apply FILE` and `netlink-ts nft plan FILE` (docs/netfilter.md).
import { readFileSync } from 'node:fs';
import { Nft } from '../../nft/client.js';
import type { NftDocument } from '../../nft/document.js';
import type { NftValue } from '../../nft/datatypes.js';
import { NFT_FAMILIES, type NftFamily } from '../../nft/names.js';
import { type GlobalOptions, UsageError } from '../args.js';
import type { Output } from '../output.js';
import { OBJECTS } from '../help.js';
import { rulesetText } from '../nft-text.js';

const USAGE = OBJECTS.find((o) => o.names[0] === 'nft')!.usage;

function readDocument(file: string): NftDocument {
  let text: string;
  try { text = readFileSync(file === '-' ? 0 : file, 'utf8'); } catch (e) { throw new UsageError(`nft: cannot read ${file}: ${(e as Error).message}`); }
  let doc: unknown;
  try { doc = JSON.parse(text); } catch {
    throw new UsageError(`nft: ${file} is not JSON: netlink-ts reads the JSON form of a ruleset (what nft -j list ruleset prints), not nft's own syntax`);
  }
  if (doc === null || typeof doc !== 'object' || !Array.isArray((doc as { nftables?: unknown }).nftables)) {
    throw new UsageError(`nft: ${file} has no "nftables" list (expected { "nftables": [ ... ] })`);
  }
  return doc as NftDocument;
}

function family(word: string | undefined): NftFamily {
  if (word !== undefined && (NFT_FAMILIES as readonly string[]).includes(word)) return word as NftFamily;
  throw new UsageError(`nft: expected a family (${NFT_FAMILIES.join(', ')}), got ${word === undefined ? 'nothing' : `"${word}"`}\n${USAGE}`);
}

export async function nftCommand(words: string[], opts: GlobalOptions, out: Output): Promise<number> {
  let json = opts.json;
  let file: string | undefined;
  const rest: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === '-j' || w === '--json') json = true;
    else if (w === '-f' || w === '--file') {
      file = words[++i];
      if (file === undefined) throw new UsageError(`nft: -f needs a FILE\n${USAGE}`);
    } else rest.push(w);
  }
  using nft = Nft.open(opts.netns !== undefined ? { netns: opts.netns } : {});
  if (file !== undefined) {
    if (rest.length) throw new UsageError(`nft -f: unexpected "${rest.join(' ')}"`);
    await nft.load(readDocument(file));
    return 0;
  }
  const [verb, what, ...args] = rest;
  if (verb === 'apply' || verb === 'plan') {
    if (!what || args.length) throw new UsageError(`nft ${verb}: expected one FILE\n${USAGE}`);
    const doc = readDocument(what);
    if (verb === 'apply') { await nft.apply(doc); return 0; }
    const changes = await nft.plan(doc);
    if (json) out.json(changes);
    else for (const c of changes) out.line(`${c.op === 'add' ? '+' : c.op === 'delete' ? '-' : '~'} ${c.kind} ${c.where} ${JSON.stringify(c.after ?? c.before)}`);
    return 0;
  }
  if (verb !== 'list') throw new UsageError(`nft: unknown command "${verb ?? ''}"\n${USAGE}`);
  let list: NftValue[];
  if (what === 'ruleset' && args.length <= 1) {
    list = (await nft.listJson(args[0] !== undefined ? { family: family(args[0]) } : {})).nftables;
  } else if (what === 'tables' && args.length <= 1) {
    const l = (await nft.listJson(args[0] !== undefined ? { family: family(args[0]) } : {})).nftables;
    list = l.filter((x) => x !== null && typeof x === 'object' && ('table' in x || 'metainfo' in x));
    if (!json) {
      for (const x of list) if ('table' in (x as object)) { const t = (x as { table: { family: string; name: string } }).table; out.line(`table ${t.family} ${t.name}`); }
      return 0;
    }
  } else if (what === 'table' && args.length === 2) {
    list = (await nft.listJson({ family: family(args[0]), table: args[1]! })).nftables;
    if (list.length <= 1) throw new UsageError(`nft: no table ${args[0]} ${args[1]}`);
  } else if (what === 'chain' && args.length === 3) {
    const [fam, table, chain] = args as [string, string, string];
    const all = (await nft.listJson({ family: family(fam), table })).nftables;
    const keep = (x: NftValue): boolean => {
      if (x === null || typeof x !== 'object' || Array.isArray(x)) return false;
      const [k, v] = Object.entries(x)[0]!;
      const o = v as { name?: string; chain?: string };
      // As nft lists a chain: the chain and its rules, without its table.
      return k === 'metainfo' || (k === 'chain' && o.name === chain) || (k === 'rule' && o.chain === chain);
    };
    list = all.filter(keep);
    if (!list.some((x) => x !== null && typeof x === 'object' && 'chain' in x)) throw new UsageError(`nft: no chain ${fam} ${table} ${chain}`);
  } else {
    throw new UsageError(`nft list: expected ruleset [FAMILY], tables [FAMILY], table FAMILY NAME or chain FAMILY TABLE NAME\n${USAGE}`);
  }
  if (json) out.json({ nftables: list });
  else out.line(rulesetText(list).replace(/\n$/, ''));
  return 0;
}
