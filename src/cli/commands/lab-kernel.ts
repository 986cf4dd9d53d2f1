// The lab words that build and use a lab on this machine, with the kernel
// backend: up, down, status, show, exec and ping (the connectivity matrix).
import { constants } from 'node:os';
import { resolve } from 'node:path';
import type { ProbeProtocol } from '../../lab/index.js';
import { formatMatrix, formatNamespaces } from '../../lab/format.js';
import { hostPart } from '../../lab/hosts.js';
import { KernelBackend } from '../../lab/kernel/backend.js';
import { addTunnels } from '../../lab/kernel/tunnels.js';
import { privilegeProblem } from '../../lab/kernel/privilege.js';
import { Lab } from '../../lab/lab.js';
import { loadLabFile } from '../../lab/load.js';
import { problemText } from '../../lab/shape.js';
import { statusText } from '../../lab/status.js';
import { type GlobalOptions, UsageError } from '../args.js';
import type { Output } from '../output.js';

export const LAB_KERNEL_USAGE = `lab up FILE [--host H]                              build the lab (all of it, or nothing; --host: host H's part of a multi-host lab)
lab down FILE [--force]                             remove what the lab made (--force: also what carries its names, for a lost record)
lab status FILE                                     what exists now against the description (exit 1 unless all of it is there)
lab show FILE                                       each namespace's links, addresses and routes
lab exec FILE NS [--] CMD [ARGS...]                 run a program in one of the lab's namespaces (as ip netns exec)
lab ping FILE [--timeout MS] [--protocol udp,tcp,icmp]  which namespaces reach which addresses, against what the description says`;

export type Err = (line: string) => void;

/** The lab of a file, or undefined after printing the file's problems. */
export async function labOf(file: string, err: Err, options: ConstructorParameters<typeof Lab>[2] = {}): Promise<Lab | undefined> {
  const v = await loadLabFile(file);
  if (!v.ok) {
    err(`netlink-ts: ${file}: ${v.problems.length} problem${v.problems.length === 1 ? '' : 's'}`);
    for (const p of v.problems) err(`  ${problemText(p)}`);
    return undefined;
  }
  return new Lab(v.lab, new KernelBackend(), { source: resolve(file), ...options });
}

/** The lab of a file for a word that needs privilege, or undefined after saying what is lacking (or the file's problems). */
export async function privilegedLabOf(verb: string, file: string, err: Err): Promise<Lab | undefined> {
  const denied = privilegeProblem(`netlink-ts lab ${verb}`);
  if (denied) {
    err(denied);
    return undefined;
  }
  return labOf(file, err);
}

function list(xs: string[]): string {
  return xs.join(', ');
}

/** Runs up, down, status, show, exec or ping; returns the exit code. */
export async function labKernelCommand(verb: string, rest: string[], opts: GlobalOptions, out: Output, err: Err): Promise<number> {
  const [file, ...args] = rest;
  if (!file || file.startsWith('-')) throw new UsageError(`lab ${verb} needs a FILE\n${LAB_KERNEL_USAGE}`);
  const flags = verb === 'exec' ? [] : args;
  const force = flags.includes('--force');
  let host: string | undefined;
  let timeoutMs: number | undefined;
  let protocols: ProbeProtocol[] | undefined;
  for (let i = 0; i < flags.length; i++) {
    const w = flags[i]!;
    if (w === '--force' && verb === 'down') continue;
    if (w === '--host' && ['up', 'down', 'status', 'show'].includes(verb)) {
      host = flags[++i];
      if (!host) throw new UsageError('--host needs the name of one of the lab\'s hosts');
      continue;
    }
    if (verb === 'ping' && (w === '--timeout' || w === '-t')) {
      // Digits only: Number() would also take "1e3", " 5" or "0x10".
      const t = flags[++i] ?? '';
      timeoutMs = Number(t);
      if (!/^\d+$/.test(t) || timeoutMs <= 0) throw new UsageError(`${w} takes a number of milliseconds`);
    } else if (verb === 'ping' && (w === '--protocol' || w === '-P')) {
      const ps = (flags[++i] ?? '').split(',');
      if (ps.some((p) => p !== 'udp' && p !== 'tcp' && p !== 'icmp') || ps.length === 0) throw new UsageError(`${w} takes udp, tcp and/or icmp, separated by commas`);
      protocols = ps as ProbeProtocol[];
    } else {
      throw new UsageError(`lab ${verb}: unexpected "${w}"\n${LAB_KERNEL_USAGE}`);
    }
  }
  const whole = await privilegedLabOf(verb, file, err);
  if (!whole) return 1;
  const part = host === undefined ? undefined : hostPart(whole.description, host);
  if (part && !(whole.description.hosts ?? []).some((h) => h.name === host)) {
    err(`netlink-ts: lab ${whole.name} has no host "${host}" (it has ${(whole.description.hosts ?? []).map((h) => h.name).join(', ') || 'none'})`);
    return 1;
  }
  const lab = part ? new Lab(part.part, new KernelBackend(), { source: resolve(file) }) : whole;
  switch (verb) {
    case 'up': {
      const r = await lab.up();
      if (part) {
        // The VXLAN links once the part is up; if they fail, the part goes again, as a failed step would take it.
        try {
          const made = await addTunnels(lab, part);
          if (made > 0) r.changed = true;
        } catch (e) {
          await lab.down();
          throw e;
        }
        if (!opts.json && part.tunnels.length) {
          out.line(`host ${host}: ${part.tunnels.map((t) => `${t.end.name} in ${lab.names.namespace(t.namespace)} is VXLAN ${t.vni} to ${t.remote}:${t.port}, mtu ${t.end.mtu ?? t.mtu}`).join('; ')}`);
        }
      }
      if (opts.json) out.json(r);
      else if (!r.changed) out.line(`lab ${lab.name} was already up as described; nothing changed`);
      else out.line(`lab ${lab.name} is up: ${lab.plan.owned.namespaces.length} namespaces (${list(lab.plan.owned.namespaces)}), ${r.steps} steps in ${Math.round(r.ms)} ms`);
      return 0;
    }
    case 'down': {
      const r = await lab.down({ force });
      if (opts.json) out.json(r);
      else {
        out.line(r.removed.length ? `lab ${lab.name} is down: removed ${list(r.removed)}` : `lab ${lab.name}: nothing to remove`);
        for (const s of r.skipped) out.line(`  left alone: ${s}`);
      }
      return 0;
    }
    case 'status': {
      const st = await lab.status();
      if (opts.json) out.json(st);
      else out.line(statusText(st));
      return st.up ? 0 : 1;
    }
    case 'show': {
      const states = await lab.show();
      if (opts.json) out.json(states);
      else out.line(states.length ? formatNamespaces(states) : `lab ${lab.name}: none of its namespaces exists`);
      return 0;
    }
    case 'exec': {
      const [ns, ...cmd] = args;
      const argv = cmd[0] === '--' ? cmd.slice(1) : cmd;
      if (!ns || argv.length === 0) throw new UsageError(`lab exec FILE NS [--] CMD [ARGS...]\n${LAB_KERNEL_USAGE}`);
      const r = await lab.exec(ns, argv, { inherit: true });
      const signo = r.signal ? (constants.signals as Record<string, number>)[r.signal] ?? 0 : 0;
      return r.code ?? 128 + signo;
    }
    case 'ping': {
      const m = await lab.connectivity({ ...(timeoutMs !== undefined ? { timeoutMs } : {}), ...(protocols ? { protocols } : {}) });
      if (opts.json) out.json(m);
      else out.line(formatMatrix(m));
      return m.ok ? 0 : 1;
    }
  }
  throw new UsageError(`lab: unknown verb "${verb}"\n${LAB_KERNEL_USAGE}`);
}
