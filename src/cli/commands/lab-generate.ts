// `lab generate SHAPE N... [--name NAME] [-o FILE]`: a lab description by
// shape (generate/), with addresses and routes so that every namespace
// reaches every address; JSON on stdout or in FILE. Needs no privilege.
import { writeFile } from 'node:fs/promises';
import { generateLab } from '../../lab/generate/routing.js';
import { UsageError } from '../args.js';
import type { Output } from '../output.js';

export const LAB_GENERATE_USAGE = `lab generate linear|ring|star|full-mesh N | tree DEPTH FANOUT | fat-tree K [--name NAME] [-o FILE]
                                                    a lab of that shape (198.18.0.0/15, static routes: every namespace reaches every address)`;

export async function labGenerateCommand(rest: string[], out: Output): Promise<number> {
  const [shape, ...words] = rest;
  let name: string | undefined;
  let file: string | undefined;
  const numbers: number[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === '--name') {
      name = words[++i];
      if (!name) throw new UsageError('--name needs a name');
    } else if (w === '-o' || w === '--output') {
      file = words[++i];
      if (!file) throw new UsageError(`${w} needs a file name`);
    } else if (/^\d+$/.test(w)) {
      numbers.push(Number(w));
    } else {
      throw new UsageError(`lab generate: unexpected "${w}"\n${LAB_GENERATE_USAGE}`);
    }
  }
  if (!shape) throw new UsageError(`lab generate needs a shape\n${LAB_GENERATE_USAGE}`);
  const lab = generateLab(shape, numbers, name === undefined ? {} : { name });
  const text = `${JSON.stringify(lab, null, 2)}\n`;
  if (file) await writeFile(file, text);
  else out.line(text.trimEnd());
  return 0;
}
