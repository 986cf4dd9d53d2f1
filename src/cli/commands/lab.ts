// `netlink-ts lab validate|graph|up|down|status|show|exec|ping|run`: validate
// and graph need no kernel and live here; the words that build and use a lab
// are in lab-kernel.ts, the end-to-end run in lab-run.ts.
import { writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { toSvg } from '../../lab/graph-svg.js';
import { type GraphFormat, toDot, toMermaid } from '../../lab/graph.js';
import { loadLabFile } from '../../lab/load.js';
import { makePlan } from '../../lab/plan.js';
import { problemText } from '../../lab/shape.js';
import { Topology } from '../../lab/topology.js';
import { LabError, LabValidationError } from '../../lab/errors.js';
import { type GlobalOptions, UsageError, matches } from '../args.js';
import type { Output } from '../output.js';
import { LAB_KERNEL_USAGE, labKernelCommand } from './lab-kernel.js';
import { labRunCommand } from './lab-run.js';
import { LAB_APPLY_USAGE, labApplyCommand } from './lab-apply.js';
import { LAB_GENERATE_USAGE, labGenerateCommand } from './lab-generate.js';
import { viaUserNamespace } from './lab-userns.js';
import { LAB_VIEW_USAGE, labViewCommand } from './lab-view.js';

export const LAB_USAGE = `lab validate FILE                                   check a lab description (JSON, or a .js/.mjs module's default export)
lab graph FILE [--format svg|dot|mermaid] [-o OUT]  draw it: SVG, Graphviz DOT or Mermaid (format from OUT's extension by default)
${LAB_KERNEL_USAGE}
${LAB_APPLY_USAGE}
${LAB_GENERATE_USAGE}
${LAB_VIEW_USAGE}
lab run FILE...                                     each lab in turn: up, show, ping, down, and a check that nothing is left`;

const KERNEL_VERBS = ['up', 'down', 'status', 'show', 'exec', 'ping'];

const FORMATS: Record<string, GraphFormat> = { '.svg': 'svg', '.dot': 'dot', '.gv': 'dot', '.mmd': 'mermaid', '.mermaid': 'mermaid' };

function plural(n: number, word: string): string {
  return `${n} ${n === 1 ? word : word.endsWith('s') ? `${word}es` : `${word}s`}`;
}

/** Runs a lab word; returns the exit code (1: the description has problems). */
export async function labCommand(words: string[], opts: GlobalOptions, out: Output, err: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<number> {
  const [verb, ...rest] = words;
  if (matches(verb, 'validate', 1)) {
    const [file, ...extra] = rest;
    if (!file || extra.length) throw new UsageError(`lab validate takes one FILE\n${LAB_USAGE}`);
    const v = await loadLabFile(file);
    if (opts.json) {
      out.json(v.ok ? { ok: true, name: v.lab.name, steps: makePlan(v.lab).steps.length } : { ok: false, problems: v.problems });
    } else if (v.ok) {
      const topo = new Topology(v.lab);
      out.line(`${file}: lab ${v.lab.name} is valid: ${plural(v.lab.namespaces.length, 'namespace')}, ${plural(v.lab.bridges?.length ?? 0, 'bridge')}, ` +
        `${plural(v.lab.veths?.length ?? 0, 'veth pair')}, ${plural(topo.ifaces.reduce((n, i) => n + i.addresses.length, 0), 'address')}; up() takes ${plural(makePlan(v.lab).steps.length, 'step')}`);
    } else {
      out.line(`${file}: ${plural(v.problems.length, 'problem')}`);
      for (const p of v.problems) out.line(`  ${problemText(p)}`);
    }
    return v.ok ? 0 : 1;
  }
  if (matches(verb, 'graph', 1)) {
    let file: string | undefined;
    let output: string | undefined;
    let format: GraphFormat | undefined;
    for (let i = 0; i < rest.length; i++) {
      const w = rest[i]!;
      if (w === '-o' || w === '--output') {
        output = rest[++i];
        if (!output) throw new UsageError(`${w} needs a file name`);
      } else if (w === '-f' || w === '--format') {
        const f = rest[++i];
        if (f !== 'svg' && f !== 'dot' && f !== 'mermaid') throw new UsageError(`${w} takes svg, dot or mermaid, not ${JSON.stringify(f ?? '')}`);
        format = f;
      } else if (file === undefined && !w.startsWith('-')) {
        file = w;
      } else {
        throw new UsageError(`lab graph: unexpected "${w}"\n${LAB_USAGE}`);
      }
    }
    if (!file) throw new UsageError(`lab graph needs a FILE\n${LAB_USAGE}`);
    format ??= (output && FORMATS[extname(output).toLowerCase()]) || 'svg';
    const v = await loadLabFile(file);
    if (!v.ok) {
      err(`netlink-ts: ${file}: ${plural(v.problems.length, 'problem')}`);
      for (const p of v.problems) err(`  ${problemText(p)}`);
      return 1;
    }
    const text = format === 'dot' ? toDot(v.lab) : format === 'mermaid' ? toMermaid(v.lab) : toSvg(v.lab);
    if (output) await writeFile(output, text);
    else out.line(text.replace(/\n$/, ''));
    return 0;
  }
  try {
    // Not root: the same word inside the lab's user namespace, where that is allowed.
    const rootless = verb === 'run' || verb === 'view' || verb === 'plan' || verb === 'apply' || verb === 'check' || (verb !== undefined && KERNEL_VERBS.includes(verb)) ? await viaUserNamespace(verb, rest, opts, out, err) : undefined;
    if (rootless !== undefined) return rootless;
    if (verb === 'run') return await labRunCommand(rest, out, err);
    if (verb === 'generate') return await labGenerateCommand(rest, out);
    if (verb === 'plan' || verb === 'apply' || verb === 'check') return await labApplyCommand(verb, rest, opts, out, err);
    if (verb === 'view') return await labViewCommand(rest, out, err);
    if (verb !== undefined && KERNEL_VERBS.includes(verb)) return await labKernelCommand(verb, rest, opts, out, err);
  } catch (e) {
    if (e instanceof LabError || e instanceof LabValidationError) {
      err(`netlink-ts: ${e.message}`);
      return 1;
    }
    throw e;
  }
  throw new UsageError(`lab: unknown verb "${verb ?? ''}"\n${LAB_USAGE}`);
}
