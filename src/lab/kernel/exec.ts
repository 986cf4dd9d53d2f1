// Programs in a lab namespace, through netns.exec / netns.spawn: by default
// as `ip netns exec` runs them (their own mounts, /etc/netns/<ns>/* over
// /etc); with `mounts: false` spawned straight into the namespace, which
// saves a Node start-up per program (the probe and ping need no /etc).
import type { StdioOptions } from 'node:child_process';
import { exec, spawn } from '../../netns/exec.js';
import type { NetnsRef } from '../../netns/ref.js';
import type { ExecOptions, ExecResult, LabProcess, SpawnOptions } from '../backend.js';
import type { NsKey } from '../names.js';

/** The root namespace is the one this process runs in. */
function refOf(ns: NsKey): NetnsRef {
  return ns ?? { path: '/proc/self/ns/net' };
}

export async function execIn(ns: NsKey, argv: string[], options: ExecOptions = {}): Promise<ExecResult> {
  const inherit = options.inherit ?? false;
  const stdio: StdioOptions = [options.input !== undefined ? 'pipe' : inherit ? 'inherit' : 'ignore', inherit ? 'inherit' : 'pipe', inherit ? 'inherit' : 'pipe'];
  const r = await exec(refOf(ns), argv, {
    stdio, capture: !inherit, mounts: ns !== null && (options.mounts ?? true),
    ...(options.input !== undefined ? { input: options.input } : {}),
    ...(options.timeoutMs !== undefined ? { timeout: options.timeoutMs } : {}),
  });
  return { code: r.code, signal: r.signal, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
}

/** How long a program whose stdin was closed gets to end before it is sent SIGTERM. */
const GRACE_MS = 500;

export function spawnIn(ns: NsKey, argv: string[], options: SpawnOptions = {}): LabProcess {
  const child = spawn(refOf(ns), argv, { stdio: ['pipe', 'pipe', 'pipe'], mounts: ns !== null && (options.mounts ?? true) });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout!.on('data', (c: Buffer) => out.push(c));
  child.stderr!.on('data', (c: Buffer) => err.push(c));
  child.stdin!.on('error', () => { /* EPIPE: it ended first */ });
  let failure: Error | undefined;
  child.on('error', (e) => { failure ??= e; });
  const done = new Promise<ExecResult>((resolve, reject) => {
    child.on('close', (code, signal) => {
      if (failure && child.pid === undefined) reject(failure);
      else resolve({ code, signal, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() });
    });
  });
  done.catch(() => { /* the caller may never ask */ });
  return {
    stdout: child.stdout!,
    kill: () => {
      child.stdin!.end();
      const timer = setTimeout(() => child.kill('SIGTERM'), GRACE_MS);
      timer.unref();
      child.once('close', () => clearTimeout(timer));
    },
    done,
  };
}
