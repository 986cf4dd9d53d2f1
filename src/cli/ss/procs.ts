// What ss reads besides netlink: which processes hold each socket (-p, from
// /proc/PID/fd/* links "socket:[INODE]" and /proc/PID/stat's command name)
// and cgroup paths by id (-e, the cgroup2 tree, where a directory's inode
// number is its cgroup id), read as ss reads them.
import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface SocketUser { name: string; pid: number; fd: number }

/** Inode → the processes holding it, in ss's order (the last process and fd found first). */
export function socketUsers(proc = '/proc'): Map<number, SocketUser[]> {
  const found = new Map<number, SocketUser[]>();
  let pids: string[];
  try { pids = readdirSync(proc).filter((d) => /^\d+$/.test(d)); } catch { return new Map(); }
  for (const pid of pids) {
    let fds: string[];
    try { fds = readdirSync(join(proc, pid, 'fd')); } catch { continue; }
    let name: string | undefined;
    for (const fd of fds) {
      let link: string;
      try { link = readlinkSync(join(proc, pid, 'fd', fd)); } catch { continue; }
      const m = /^socket:\[(\d+)\]$/.exec(link);
      if (!m) continue;
      name ??= commandName(proc, pid);
      if (name === undefined) break;
      const ino = Number(m[1]);
      let list = found.get(ino);
      if (!list) found.set(ino, list = []);
      // ss keeps each inode's entries as a list it prepends to.
      list.unshift({ name, pid: Number(pid), fd: Number(fd) });
    }
  }
  return found;
}

/** ss's users:(...) text. */
export function usersText(list: readonly SocketUser[]): string {
  return list.map((u) => `("${u.name}",pid=${u.pid},fd=${u.fd})`).join(',');
}

function commandName(proc: string, pid: string): string | undefined {
  try {
    const stat = readFileSync(join(proc, pid, 'stat'), 'latin1');
    const m = /^\d+ \(([^)]*)/.exec(stat);
    return m ? m[1] : undefined;
  } catch {
    return undefined;
  }
}

/** Where cgroup2 is mounted, from /proc/self/mounts. */
function cgroup2Mount(): string | undefined {
  try {
    for (const line of readFileSync('/proc/self/mounts', 'utf8').split('\n')) {
      const f = line.split(' ');
      if (f[2] === 'cgroup2') return f[1]!.replace(/\\040/g, ' ');
    }
  } catch { /* no /proc */ }
  return undefined;
}

/** Cgroup id → path relative to the cgroup2 root ("/" for the root), built on first use. */
export class CgroupPaths {
  private map: Map<bigint, string> | undefined;

  path(id: bigint): string {
    this.map ??= this.build();
    return this.map.get(id) ?? `unreachable:${id.toString(16)}`;
  }

  private build(): Map<bigint, string> {
    const m = new Map<bigint, string>();
    const root = cgroup2Mount();
    if (!root) return m;
    const walk = (dir: string, rel: string): void => {
      try { m.set(statSync(dir, { bigint: true }).ino, rel); } catch { return; }
      let entries;
      try { entries = readdirSync(dir, { withFileTypes: true }); } catch { return; }
      for (const e of entries) if (e.isDirectory()) walk(join(dir, e.name), rel === '/' ? `/${e.name}` : `${rel}/${e.name}`);
    };
    walk(root, '/');
    return m;
  }
}
