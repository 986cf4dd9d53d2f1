#!/usr/bin/env node
// The `netlink-ts` command (package.json "bin"). It only turns on Node's
// compile cache and then loads the command line, so that the cache covers
// every module loaded after it; main.ts itself never runs on import.
import module from 'node:module';

// Node >= 22.1 keeps V8's compiled code for each module on disk (in
// NODE_COMPILE_CACHE or the system's temporary directory) and skips most of
// the compiling on the next start; on Node 20 the function is absent.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

const { exitQuietlyOnBrokenPipe } = await import('./output.js');
// A reader that stops early (`| head`) ends the command as it ends ip: silently, status 141.
exitQuietlyOnBrokenPipe();
const { main } = await import('./main.js');
process.exitCode = await main(process.argv.slice(2));
