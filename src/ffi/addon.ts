// Loads ffi-rs so that a Worker thread using it can end without taking the
// process down.
//
// What happens without this (ffi-rs 1.3.7, Node 20, glibc; see docs/netns.md,
// "Workers"): a Worker that merely loads ffi-rs ends the whole process with
// SIGSEGV (exit 139) when the Worker ends — normally, by terminate(), by
// process.exit() inside it or by an uncaught error alike. gdb shows the
// Worker's own thread faulting at an unmapped address called from glibc's
// __nptl_deallocate_tsd, as the thread exits; LD_DEBUG=files shows, just
// before, "calling fini" and "destroying link map" for the ffi-rs .node file.
// So: the addon registers a pthread-key destructor (thread-local storage of
// its Rust runtime) on the Worker's thread; when the Worker's environment is
// torn down Node dlclose()s the addons that environment loaded; the last
// reference goes, the library is unmapped; then the thread exits and glibc
// calls the destructor, which is no longer there. The main thread never
// unloads its addons, which is why only Workers crash.
//
// The fix: the library is loaded with RTLD_NODELETE, so dlclose never unmaps
// it and the destructor finds its code. It has to be set before ffi-rs loads
// it — a terminate() arriving between a plain load and a later pin would
// still crash — so the .node file ffi-rs is about to load is found the way
// its index.js finds it and opened first through process.dlopen with
// RTLD_NODELETE (Node then initialises the module once more for this
// environment, which N-API modules allow). Should ffi-rs load a different
// file than predicted (another layout in a later version), the file it did
// load is pinned right after, from /proc/self/maps. Measured: 400 Worker
// cycles (100 for each way of ending) and 100 Workers terminated at moments
// spread over their start-up, exit 0 every time; without the pin the first
// Worker to end crashed the process (test/unit/ffi-worker.test.ts).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import type * as FfiRs from 'ffi-rs';
import { RTLD_NODELETE, RTLD_NOLOAD } from '../generated/libc/dlfcn.js';
import { detectCLibrary, mappedFiles } from './c-library.js';

const require = createRequire(import.meta.url);

/**
 * ffi-rs's name for this platform's binary. Its index.js asks
 * process.report whether libc is glibc (13 ms); the mapped files tell
 * cheaper (c-library.ts).
 */
function triple(mapped: Set<string>): string {
  const musl = detectCLibrary(mapped).family === 'musl';
  if (process.arch === 'arm') return musl ? 'linux-arm-musleabihf' : 'linux-arm-gnueabihf';
  return `linux-${process.arch}-${musl ? 'musl' : 'gnu'}`;
}

/** The .node file ffi-rs will load (its index.js tries the local file, then the package), when it can be told beforehand. */
function predictedBinary(index: string): string | undefined {
  const name = triple(mappedFiles());
  const local = join(dirname(index), `ffi-rs.${name}.node`);
  if (existsSync(local)) return local;
  try { return createRequire(index).resolve(`@yuuang/ffi-rs-${name}`); } catch { return undefined; }
}

function pin(file: string, extra: number): void {
  process.dlopen({ exports: {} }, file, constants.dlopen.RTLD_NOW | RTLD_NODELETE | extra);
}

function load(): typeof FfiRs {
  const index = require.resolve('ffi-rs');
  const predicted = predictedBinary(index);
  if (predicted !== undefined) {
    try { pin(predicted, 0); } catch { /* ffi-rs will report why it cannot load it */ }
  }
  const ffi = require('ffi-rs') as typeof FfiRs;
  for (const file of mappedFiles()) {
    if (file !== predicted && /\/ffi-rs[^/]*\.node$/.test(file)) {
      try { pin(file, RTLD_NOLOAD); } catch { /* cannot pin: a Worker ending would crash, as without this module */ }
    }
  }
  return ffi;
}

let loaded: typeof FfiRs | undefined;

/**
 * The ffi-rs module, its binary pinned in memory for the life of the process.
 * Loaded on the first call, not on import: loading costs ~15 ms, which code
 * that never opens a socket (codecs, schemas, lab descriptions, FakeKernel)
 * should not pay (docs/packaging.md).
 */
export function ffiRs(): typeof FfiRs {
  return (loaded ??= load());
}
