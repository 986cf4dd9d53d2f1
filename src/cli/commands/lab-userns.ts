// The lab words run by an ordinary user: where this process lacks the
// capabilities a lab needs but may make a user namespace, the word is run
// again inside the lab's user namespace (src/lab/kernel/userns.ts), as root
// there, with the same arguments and output. `up` starts the namespace's
// holder, `down` ends it; `run` uses a user namespace of its own for the
// whole run and checks the real host's links, addresses, routes and qdiscs
// from outside (docs/lab.md, "Without root").
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { type Socket, createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { hostChanges, hostSnapshot, hostSummary } from '../../lab/kernel/host-check.js';
import { privilegeProblem } from '../../lab/kernel/privilege.js';
import { findHolder, inHolder, inNewUserns, rootlessRefusal, startHolder, stopHolder, usernsProblem } from '../../lab/kernel/userns.js';
import { loadLabFile } from '../../lab/load.js';
import type { GlobalOptions } from '../args.js';
import type { Output } from '../output.js';
import type { Err } from './lab-kernel.js';
import { viewArgs } from './lab-view.js';

/** Set in the process run inside the lab's user namespace: the real host is checked outside. */
export const IN_LAB_USERNS = 'NETLINK_TS_LAB_USERNS';

/**
 * Runs argv with this terminal; resolves with its exit code (128 + signal when killed). Ctrl-C reaches it, not
 * us; with `forward`, a signal sent to this process alone is passed on (the view, which a test stops by pid).
 */
function runChild(argv: string[], forward = false): Promise<number> {
  const [cmd, ...args] = argv;
  const child = spawn(cmd!, args, { stdio: 'inherit', env: { ...process.env, [IN_LAB_USERNS]: '1' } });
  const ignore = (s: NodeJS.Signals) => { if (forward) child.kill(s); };
  // The child is in our process group: it gets the terminal's signal and ends as it sees fit; we wait for it.
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, ignore);
  return new Promise((res) => {
    child.on('error', (e) => { process.stderr.write(`netlink-ts: ${cmd}: ${e.message}\n`); res(1); });
    child.on('exit', (code, signal) => {
      for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.off(s, ignore);
      res(code ?? 128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 9));
    });
  });
}

/**
 * The exit code of `lab VERB ...` run inside the lab's user namespace, or
 * undefined when this process may build labs itself (root, or already there).
 */
export async function viaUserNamespace(verb: string, rest: string[], opts: GlobalOptions, out: Output, err: Err): Promise<number | undefined> {
  const denied = privilegeProblem(`netlink-ts lab ${verb}`);
  if (!denied) return undefined;
  const why = usernsProblem();
  if (why) {
    err(rootlessRefusal(`netlink-ts lab ${verb}`, why));
    return 1;
  }
  const cwd = process.cwd();
  if (cwd === '/run' || cwd.startsWith('/run/')) {
    err(`netlink-ts lab ${verb}: run it from a directory outside /run: the lab's user namespace has a /run of its own`);
    return 1;
  }
  const script = process.argv[1];
  if (!script) throw new Error('netlink-ts: cannot tell which script to run again in the user namespace');
  const again = [process.execPath, resolve(script), ...(opts.json ? ['--json'] : []), 'lab', verb, ...rest];

  if (verb === 'run') {
    const before = await hostSnapshot();
    const code = await runChild(inNewUserns(again));
    const changed = hostChanges(before, await hostSnapshot());
    out.line(changed.length
      ? `the host CHANGED during the run:\n  ${changed.join('\n  ')}`
      : `the host is unchanged: its ${hostSummary(before)} are as they were before the run (the labs ran in a user namespace of their own)`);
    return changed.length ? 1 : code;
  }

  if (verb === 'view') return viewViaUserns(rest, again, cwd, out, err);

  const file = rest[0];
  const v = file && !file.startsWith('-') ? await loadLabFile(file) : undefined;
  // No lab name (a usage error, a description with problems): the word says so from a throw-away namespace.
  if (!v?.ok) return runChild(inNewUserns(again));
  const name = v.lab.name;
  let pid = findHolder(name);
  // apply builds a lab that is not up, as up does: it needs the holder too.
  if (pid === undefined && (verb === 'up' || verb === 'apply')) {
    pid = await startHolder(name);
    const code = await runChild(inHolder(pid, cwd, again));
    if (code !== 0) await stopHolder(name, pid); // nothing of it is up: rollback took back what it made
    return code;
  }
  // Not up (no holder): the word sees an empty system, as it would as root on a machine without the lab.
  if (pid === undefined) return runChild(inNewUserns(again));
  const code = await runChild(inHolder(pid, cwd, again));
  if (verb === 'down' && code === 0) await stopHolder(name, pid);
  return code;
}

/**
 * `lab view` of a lab in a user namespace: the server runs there, on a Unix
 * socket (the lab's network namespace is not the host's, so its 127.0.0.1 is
 * not the browser's); here, a relay from 127.0.0.1:PORT to that socket.
 */
async function viewViaUserns(rest: string[], again: string[], cwd: string, out: Output, err: Err): Promise<number> {
  const args = viewArgs(rest);
  const v = await loadLabFile(args.file);
  const pid = v.ok ? findHolder(v.lab.name) : undefined;
  if (!v.ok || pid === undefined) return runChild(inNewUserns(again)); // says what is wrong, or that the lab is not up
  const dir = mkdtempSync(join(tmpdir(), 'netlink-ts-view-'));
  const socket = join(dir, 'view.sock');
  const open = new Set<Socket>();
  const relay = createServer((c) => {
    const u = createConnection(socket);
    for (const s of [c, u]) { open.add(s); s.on('close', () => open.delete(s)); }
    c.pipe(u).pipe(c);
    u.on('error', () => c.destroy());
    c.on('error', () => u.destroy());
  });
  try {
    await new Promise<void>((res, rej) => { relay.once('error', rej); relay.listen(args.port, '127.0.0.1', res); });
    const addr = relay.address();
    const port = addr !== null && typeof addr === 'object' ? addr.port : args.port;
    let ended = false;
    const child = runChild(inHolder(pid, cwd, [...again, '--socket', socket]), true).finally(() => { ended = true; });
    for (let i = 0; i < 1000 && !ended && !existsSync(socket); i++) await new Promise((r) => setTimeout(r, 20));
    if (!ended) out.line(`lab ${v.lab.name}: live view on http://127.0.0.1:${port}/ (Ctrl-C stops it)`);
    const code = await child;
    if (code === 0) out.line(`lab ${v.lab.name}: view stopped`);
    return code;
  } catch (e) {
    err(`netlink-ts: lab view: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  } finally {
    relay.close();
    for (const s of open) s.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}
