// A process that brings a lab up with cleanup on exit and then waits, for
// the kernel test that ends it: `node lab-child.js FILE [throw]` prints "up"
// once the lab is up; with "throw", it then dies of an uncaught exception.
import { readFileSync } from 'node:fs';
import { KernelBackend } from '../../src/lab/kernel/backend.js';
import { Lab } from '../../src/lab/lab.js';

const [file, mode] = process.argv.slice(2);
const lab = Lab.from(JSON.parse(readFileSync(file!, 'utf8')), new KernelBackend(), { cleanupOnExit: true });
await lab.up();
process.stdout.write('up\n');
if (mode === 'throw') setTimeout(() => { throw new Error('the child fails on purpose'); }, 50);
else setInterval(() => undefined, 1000);
