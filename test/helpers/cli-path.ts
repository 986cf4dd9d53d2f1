// The command line that tests run as a process: by default the bundled CLI
// that package.json's "bin" names (dist/bundle/cli.js, made by npm run build),
// so that the tests check what users run. NETLINK_TS_CLI=tsc runs the
// one-file-per-module tsc output (dist/src/cli/bin.js) instead: both must
// pass the same tests.
import { fileURLToPath } from 'node:url';

export const cli = fileURLToPath(new URL(process.env.NETLINK_TS_CLI === 'tsc' ? '../../src/cli/bin.js' : '../../bundle/cli.js', import.meta.url));
