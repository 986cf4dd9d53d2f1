// The groups a user runs with, as runuser gives them: the primary group from
// /etc/passwd, and the supplementary groups initgroups() finds — every
// /etc/group entry that lists the user's name. Only the files are read (no
// NSS modules: LDAP or systemd-homed users are not seen), which is what a
// namespace's /etc (with /etc/netns/NAME/passwd bound over it) describes.
import { readFileSync } from 'node:fs';

export interface RunAs {
  name: string;
  gid: number;
  /** The primary group first, then the others in /etc/group's order. */
  groups: number[];
}

/** Fields of the non-comment lines of a colon-separated database. */
function records(text: string): string[][] {
  return text.split('\n').filter((l) => l !== '' && !l.startsWith('#')).map((l) => l.split(':'));
}

function id(field: string | undefined): number | undefined {
  return field !== undefined && /^\d+$/.test(field) && Number(field) < 0xffffffff ? Number(field) : undefined;
}

/** The user with this uid (the first entry, as getpwuid takes it), or undefined. */
export function findUser(uid: number, passwd: string): { name: string; gid: number } | undefined {
  for (const f of records(passwd)) {
    const gid = id(f[3]);
    if (f.length >= 7 && id(f[2]) === uid && gid !== undefined && f[0] !== '') return { name: f[0]!, gid };
  }
  return undefined;
}

/** initgroups(name, gid): gid, then each group whose member list names the user. */
export function groupsOf(name: string, gid: number, group: string): number[] {
  const out = [gid];
  for (const f of records(group)) {
    const g = id(f[2]);
    if (f.length >= 4 && g !== undefined && !out.includes(g) && f[3]!.split(',').includes(name)) out.push(g);
  }
  return out;
}

/** What runuser would run uid with, from the files under `etc`; undefined when /etc/passwd does not list it. */
export function runAs(uid: number, etc = '/etc'): RunAs | undefined {
  const user = findUser(uid, readFileSync(`${etc}/passwd`, 'utf8'));
  if (user === undefined) return undefined;
  let group = '';
  try { group = readFileSync(`${etc}/group`, 'utf8'); } catch { /* no /etc/group: the primary group only */ }
  return { ...user, groups: groupsOf(user.name, user.gid, group) };
}

/** What cannot be done for a uid /etc/passwd does not list (after "cannot "). */
export function unlistedUser(uid: number): string {
  return `run as user ${uid} without a gid: /etc/passwd does not list it (give gid to run as an unlisted user)`;
}
