// `netlink-ts lab view FILE [--port N]`: serves the running lab's live view
// on 127.0.0.1 (src/lab/view/) until Ctrl-C. `--socket PATH` (used by the
// rootless relay in lab-userns.ts) listens on a Unix socket instead.
import { serveLab } from '../../lab/view/server.js';
import { UsageError } from '../args.js';
import type { Output } from '../output.js';
import { type Err, labOf } from './lab-kernel.js';

export const LAB_VIEW_USAGE = 'lab view FILE [--port N]                            serve a live view of the running lab on 127.0.0.1 (default port 8080; 0: any free one) until Ctrl-C';

export interface ViewArgs {
  file: string;
  port: number;
  socket?: string;
}

export function viewArgs(rest: string[]): ViewArgs {
  const [file, ...flags] = rest;
  if (!file || file.startsWith('-')) throw new UsageError(`lab view needs a FILE\n${LAB_VIEW_USAGE}`);
  const out: ViewArgs = { file, port: 8080 };
  for (let i = 0; i < flags.length; i++) {
    const w = flags[i]!;
    const v = flags[++i] ?? '';
    if (w === '--port' || w === '-p') {
      if (!/^\d{1,5}$/.test(v) || Number(v) > 65535) throw new UsageError(`${w} takes a port number, 0 to 65535 (0: any free port), not ${JSON.stringify(v)}`);
      out.port = Number(v);
    } else if (w === '--socket' && v.startsWith('/')) {
      out.socket = v;
    } else {
      throw new UsageError(`lab view: unexpected "${w}"\n${LAB_VIEW_USAGE}`);
    }
  }
  return out;
}

/** Resolves when the process is told to stop (Ctrl-C, SIGTERM). */
function stopSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => { process.off('SIGINT', done); process.off('SIGTERM', done); resolve(); };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}

export async function labViewCommand(rest: string[], out: Output, err: Err): Promise<number> {
  const args = viewArgs(rest);
  const lab = await labOf(args.file, err);
  if (!lab) return 1;
  const present = new Set(await lab.backend.listNamespaces());
  if (!lab.plan.owned.namespaces.some((ns) => present.has(ns))) {
    err(`netlink-ts: lab ${lab.name} is not up: none of its namespaces exists (run lab up ${args.file} first)`);
    return 1;
  }
  const stop = stopSignal();
  const server = await serveLab(lab, args.socket ? { path: args.socket } : { port: args.port });
  if (!args.socket) out.line(`lab ${lab.name}: live view on ${server.url} (Ctrl-C stops it)`);
  await stop;
  await server.close();
  if (!args.socket) out.line(`lab ${lab.name}: view stopped`);
  return 0;
}
