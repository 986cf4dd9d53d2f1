// Running iproute2 from kernel tests (always inside the test command's own
// namespaces, see test/kernel-env.ts).
import { execFileSync } from 'node:child_process';
import { test } from 'uvu';

export function run(cmd: string, args: string[], input?: string): string {
  return execFileSync(cmd, args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
}

export function ip(...args: string[]): string {
  return run('ip', args);
}

export function ipJson<T = Record<string, unknown>[]>(...args: string[]): T {
  const out = run('ip', ['-j', ...args]);
  return (out.trim() ? JSON.parse(out) : []) as T;
}

/** Fails loudly if a kernel test ever runs outside the isolated environment. */
export function requireIsolation(): void {
  if (process.env.NETLINK_TS_TEST_ISOLATED !== '1') {
    throw new Error('kernel tests must run through `npm test`, which isolates them in their own network and mount namespace');
  }
}

/**
 * For a test that needs the real root user, not root in a user namespace
 * (/dev/net/tun, other users' ids, a bpf filesystem, writing /etc): skipped
 * in the test command's unprivileged run (test/run.ts sets the variable).
 */
export const realRootTest: (name: string, fn: Parameters<typeof test>[1]) => void = process.env.NETLINK_TS_TEST_USERNS === '1' ? test.skip : test;

/**
 * The environment for a child run as another user (nobody): without this
 * run's coverage directory, which that user cannot write (it would say so on
 * stderr). The key is kept, empty: Node passes NODE_V8_COVERAGE on to a child
 * whose env lacks it.
 */
export function envForOtherUser(): NodeJS.ProcessEnv {
  return { ...process.env, NODE_V8_COVERAGE: '' };
}
