// Runs one test program and reads uvu's totals from its output while passing
// that output through line by line as it comes (a tier that runs for minutes
// must not sit silent and then print everything at the end). Used by the test
// command (run.ts) for every tier, and inside the User-mode Linux guest.
import { spawn } from 'node:child_process';

export interface Tally { passed: number; failed: number }

export interface SuiteOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Kill the program (and its process group) after this many ms; a timeout counts as a failure. */
  timeoutMs?: number;
}

/** Reads uvu's `Total:` and `Passed:` lines (after its colours are stripped). */
export class UvuTotals {
  private total?: number;
  private passed?: number;

  line(text: string): void {
    const plain = stripAnsi(text);
    const t = /^\s*Total:\s+(\d+)/.exec(plain);
    if (t) this.total = Number(t[1]);
    const p = /^\s*Passed:\s+(\d+)/.exec(plain);
    if (p) this.passed = Number(p[1]);
  }

  /** The tally for a program that ended with `exit`; no totals or a bad exit counts as a failure. */
  tally(label: string, exit: string | number | null): Tally {
    if (this.total === undefined || this.passed === undefined) {
      console.log(`${label}: the runner ended without totals (exit ${exit})`);
      return { passed: 0, failed: 1 };
    }
    // uvu's Total leaves skipped tests out (they are counted under Skipped).
    let failed = this.total - this.passed;
    if (failed === 0 && exit !== 0) failed = 1; // e.g. an unhandled rejection after the last test
    return { passed: this.passed, failed };
  }
}

export function stripAnsi(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
}

/** Splits a stream into lines, calling `each` as soon as a line is complete (and with the rest at the end). */
export function lineSplitter(each: (line: string) => void): { push(chunk: Buffer | string): void; end(): void } {
  let rest = '';
  return {
    push(chunk) {
      rest += chunk.toString();
      let nl: number;
      while ((nl = rest.indexOf('\n')) >= 0) {
        each(rest.slice(0, nl).replace(/\r$/, ''));
        rest = rest.slice(nl + 1);
      }
    },
    end() {
      if (rest) each(rest.replace(/\r$/, ''));
      rest = '';
    },
  };
}

/** Runs one uvu program, streaming its output, and returns its tally; a crash or a timeout counts as a failure. */
export function runSuite(label: string, command: string, argv: string[], opts: SuiteOptions): Promise<Tally> {
  console.log(`\n── ${label} ──`);
  const totals = new UvuTotals();
  return new Promise((resolve) => {
    const child = spawn(command, argv, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'], detached: opts.timeoutMs !== undefined });
    // Passed through as it comes (uvu prints a file's dots before the line ends), read line by line.
    const out = lineSplitter((line) => totals.line(line));
    child.stdout.on('data', (c: Buffer) => { process.stdout.write(c); out.push(c); });
    child.stderr.on('data', (c: Buffer) => process.stderr.write(c));
    let timedOut = false;
    const timer = opts.timeoutMs === undefined ? undefined : setTimeout(() => {
      timedOut = true;
      // detached: the program leads a process group of its own, and only what it started is in it.
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ }
    }, opts.timeoutMs);
    child.on('error', (e) => {
      console.log(`${label}: could not start ${command}: ${e.message}`);
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      out.end();
      if (timedOut) {
        console.log(`${label}: killed after ${opts.timeoutMs} ms without ending`);
        resolve({ passed: totals.tally(label, 'timeout').passed, failed: 1 });
        return;
      }
      resolve(totals.tally(label, code ?? signal));
    });
  });
}
