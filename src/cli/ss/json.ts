// `ss --json`: one object per socket with what the text shows, in words
// (iproute2 6.1's ss has no JSON; these names follow the library's).
import type { DiagSocket } from '../../diag/types.js';
import type { RowOptions } from './rows.js';

/** Values JSON cannot hold as they are: 64-bit numbers as decimal strings, bytes as hex. */
function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (Buffer.isBuffer(v)) return undefined;
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) { const p = plain(x); if (p !== undefined) o[k] = p; }
    return o;
  }
  return v;
}

export function socketJson(s: DiagSocket, o: RowOptions): unknown {
  const { issues, ...rest } = s;
  const out = plain(rest) as Record<string, unknown>;
  out.cookie = s.cookie.toString(16);
  const users = o.processes?.get(s.inode);
  if (users !== undefined) out.users = users;
  if (s.kind === 'inet' && s.cgroupId !== undefined) out.cgroup = o.cgroup(s.cgroupId);
  if (issues) out.issues = issues;
  return out;
}
