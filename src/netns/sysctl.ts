// net.* sysctls of one network namespace. /proc/sys/net shows the namespace
// of the thread that looks, so the file is opened, read or written and
// closed with this thread inside the namespace — synchronously, with fs's
// *Sync calls, which run on this thread (the threadpool never sees it).
import { errorCode } from '../netlink/errno.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe } from '../netlink/describe.js';
import { EncodeError } from '../netlink/errors.js';
import { inNetns } from './enter.js';
import { NetnsError } from './errors.js';
import { type NetnsRef, withNetnsFd } from './ref.js';

/** A sysctl's value: text, a number, or several (written separated by tabs). */
export type SysctlValue = string | number | readonly (string | number)[];

/**
 * The file of a net.* sysctl. Keys are written like sysctl(8): with dots
 * (net.ipv4.conf.all.rp_filter), or with slashes when a part holds a dot —
 * an interface such as eth0.100: net/ipv4/conf/eth0.100/rp_filter.
 */
export function sysctlPath(key: string): string {
  if (typeof key !== 'string') throw new EncodeError('sysctl', `a key must be a string, got ${describe(key)}`);
  const parts = key.includes('/') ? key.split('/') : key.split('.');
  if (parts[0] !== 'net') throw new EncodeError('sysctl', `${describe(key)} is not a net.* sysctl (only those belong to a network namespace)`);
  if (parts.length < 2) throw new EncodeError('sysctl', `${describe(key)} names a directory, not a sysctl`);
  for (const p of parts) {
    if (p === '' || p === '.' || p === '..' || p.includes('\0')) throw new EncodeError('sysctl', `${describe(key)} has an empty or invalid part ${describe(p)}`);
  }
  return `/proc/sys/${parts.join('/')}`;
}

function format(value: SysctlValue): string {
  const one = (v: unknown): string => {
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
    if (typeof v === 'string' && !/[\0\n]/.test(v)) return v;
    throw new EncodeError('sysctl', `a value must be a number or a one-line string, got ${describe(v)}`);
  };
  return Array.isArray(value) ? value.map(one).join('\t') : one(value);
}

function here<T>(netns: NetnsRef | undefined, operation: string, fn: () => T): T {
  return netns === undefined ? fn() : withNetnsFd(netns, (fd) => inNetns(fd, fn), operation);
}

function problemOf(err: unknown, key: string, writing: boolean): string {
  switch (errorCode(err)) {
    case 'ENOENT': return `no sysctl ${key} in this namespace`;
    case 'EINVAL': return `the kernel refused the value for ${key}`;
    default: return `cannot ${writing ? 'write' : 'read'} ${key}`;
  }
}

/** Reads a net.* sysctl (trailing newline removed), in netns or in the current namespace. */
export function readSysctl(key: string, netns?: NetnsRef): string {
  const file = sysctlPath(key);
  const operation = `sysctl ${key}`;
  return here(netns, operation, () => {
    try {
      return readFileSync(file, 'utf8').replace(/\n$/, '');
    } catch (err) {
      throw NetnsError.from(err, operation, problemOf(err, key, false));
    }
  });
}

/** Writes a net.* sysctl (an array is written tab-separated), in netns or in the current namespace. */
export function writeSysctl(key: string, value: SysctlValue, netns?: NetnsRef): void {
  const file = sysctlPath(key);
  const text = format(value);
  const operation = `sysctl -w ${key}=${text}`;
  here(netns, operation, () => {
    try {
      // No O_CREAT or O_TRUNC: a sysctl file exists or it does not.
      writeFileSync(file, text, { flag: 'r+' });
    } catch (err) {
      throw NetnsError.from(err, operation, problemOf(err, key, true));
    }
  });
}
