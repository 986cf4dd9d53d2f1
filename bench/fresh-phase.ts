// One bench phase as a fresh process, the way `ip -batch` runs: load the
// bundled package (what users import), open a socket, do the phase, exit.
//   node dist/bench/fresh-phase.js PHASE N
// Run by the bench (freshProcess), which times the whole process.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PHASES } from './phases.js';

const [name, count] = process.argv.slice(2);
const phase = PHASES[name ?? ''];
if (!phase || !/^\d+$/.test(count ?? '')) {
  process.stderr.write(`usage: fresh-phase.js PHASE N (PHASE one of ${Object.keys(PHASES).join(', ')})\n`);
  process.exit(2);
}
const bundle = join(dirname(fileURLToPath(import.meta.url)), '..', 'bundle', 'index.js');
const lib = await import(bundle) as typeof import('../src/index.js');
// Namespace phases need no socket; the others open one, as a program would.
const nl = name!.startsWith('netns-') ? undefined : lib.Rtnl.openSync();
try {
  await phase(nl!, Number(count), lib);
} finally {
  nl?.close();
}
