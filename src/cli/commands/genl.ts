// `netlink-ts genl list` (like iproute2's `genl ctrl list`) and
// `netlink-ts genl --family NAME --do|--dump OP [--json ATTRS]`: any generic
// netlink family this package has a spec of, decoded by that spec, printed
// as JSON. Takes the words as typed (`raw`), since its `--json` carries the
// request's attributes rather than asking for JSON output.
import { Genl, type GenlFamilyInfo } from '../../genl/client.js';
import { type GlobalOptions, UsageError } from '../args.js';
import type { Output } from '../output.js';
import { OBJECTS } from '../help.js';

const USAGE = OBJECTS.find((o) => o.names[0] === 'genl')!.usage;

/** Values JSON cannot hold as they are: 64-bit counters as decimal strings, bytes as hex. */
export function genlJson(_key: string, v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (v && typeof v === 'object' && (v as { type?: unknown }).type === 'Buffer' && Array.isArray((v as { data?: unknown }).data)) {
    return Buffer.from((v as { data: number[] }).data).toString('hex');
  }
  return v;
}

const hex = (n: number): string => `0x${n.toString(16)}`;

/** The text `genl ctrl list` prints for one family. */
export function familyText(f: GenlFamilyInfo): string {
  const lines = [`Name: ${f.name}`, `\tID: ${hex(f.id)}  Version: ${hex(f.version)}  header size: ${f.hdrsize}  max attribs: ${f.maxattr} `];
  if (f.ops.length) {
    lines.push('\tcommands supported: ');
    f.ops.forEach((o, i) => lines.push(`\t\t#${i + 1}:  ID-${hex(o.id)} `));
  }
  if (f.groups.length) {
    lines.push('\tmulticast groups:');
    f.groups.forEach((g, i) => lines.push(`\t\t#${i + 1}:  ID-${hex(g.id)}  name: ${g.name} `));
  }
  return `${lines.join('\n')}\n`;
}

interface Parsed { family?: string; mode?: 'do' | 'dump'; op?: string; attrs: Record<string, unknown>; json: boolean }

export function parseGenlWords(words: readonly string[], opts: GlobalOptions): Parsed {
  const p: Parsed = { attrs: {}, json: opts.json };
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const value = (): string => {
      const v = words[++i];
      if (v === undefined) throw new UsageError(`genl: ${w} needs a value\n${USAGE}`);
      return v;
    };
    if (w === '--family' || w === '-f') p.family = value();
    else if (w === '--do' || w === '--dump') {
      if (p.mode) throw new UsageError(`genl: give one of --do and --dump`);
      p.mode = w === '--do' ? 'do' : 'dump';
      p.op = value();
    } else if (w === '--json' || w === '-j') {
      // `--json ATTRS` when an object follows, otherwise the output option.
      const next = words[i + 1];
      if (next !== undefined && next.trimStart().startsWith('{')) {
        i++;
        let parsed: unknown;
        try { parsed = JSON.parse(next); } catch (e) { throw new UsageError(`genl: --json ATTRS is not JSON: ${(e as Error).message}`); }
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new UsageError('genl: --json ATTRS must be a JSON object');
        p.attrs = parsed as Record<string, unknown>;
      } else {
        p.json = true;
      }
    } else throw new UsageError(`genl: unexpected "${w}"\n${USAGE}`);
  }
  return p;
}

export async function genlCommand(words: string[], opts: GlobalOptions, out: Output): Promise<number> {
  if (words[0] === 'list' || (words[0] === 'ctrl' && words[1] === 'list')) {
    const rest = words.slice(words[0] === 'ctrl' ? 2 : 1);
    const json = opts.json || rest.some((w) => w === '--json' || w === '-j');
    const other = rest.find((w) => w !== '--json' && w !== '-j');
    if (other !== undefined) throw new UsageError(`genl list: unexpected "${other}"`);
    using g = Genl.open(opts.netns !== undefined ? { netns: opts.netns } : {});
    const fams = await g.list();
    if (json) out.json(fams);
    else for (const f of fams) out.line(familyText(f));
    return 0;
  }
  if (!words.length || words[0] === 'help' || words[0] === '--help') {
    out.line(USAGE);
    return words.length ? 0 : 2;
  }
  const p = parseGenlWords(words, opts);
  if (!p.family) throw new UsageError(`genl: --family NAME is needed\n${USAGE}`);
  if (!p.mode || !p.op) throw new UsageError(`genl: --do OP or --dump OP is needed\n${USAGE}`);
  using g = Genl.open(opts.netns !== undefined ? { netns: opts.netns } : {});
  const msgs = p.mode === 'do' ? await g.do(p.family, p.op, p.attrs) : await g.dump(p.family, p.op, p.attrs);
  out.line(JSON.stringify(msgs.map((m) => ({ op: m.op, ...m.attrs, ...(m.header ? { header: m.header } : {}), ...(m.issues ? { issues: m.issues } : {}) })), genlJson, opts.pretty ? 4 : undefined));
  return 0;
}
