// A process that brings a lab up with cleanup on exit and then waits, for
// the kernel test that ends it: `node lab-child.js FILE [throw|pause]` prints
// "up" once the lab is up; with "throw", it then dies of an uncaught
// exception; with "pause", it prints "mid-up" when the namespaces exist and
// waits a second before making the links, for a signal to arrive half way.
import { readFileSync } from 'node:fs';
import { KernelBackend } from '../../src/lab/kernel/backend.js';
import { Lab } from '../../src/lab/lab.js';

const [file, mode] = process.argv.slice(2);
const backend = new KernelBackend();
if (mode === 'pause') {
  const addLinks = backend.addLinks.bind(backend);
  let paused = false;
  backend.addLinks = async (ns, links) => {
    if (!paused) {
      paused = true;
      process.stdout.write('mid-up\n');
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    return addLinks(ns, links);
  };
}
const lab = Lab.from(JSON.parse(readFileSync(file!, 'utf8')), backend, { cleanupOnExit: true });
await lab.up();
process.stdout.write('up\n');
if (mode === 'throw') setTimeout(() => { throw new Error('the child fails on purpose'); }, 50);
else setInterval(() => undefined, 1000);
