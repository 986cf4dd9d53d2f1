// Paths that cannot be redirected. A directory we put things in (/run/netns,
// /etc/netns/NAME) is opened once, refusing a symbolic link in its place, and
// names inside it are reached as /proc/self/fd/N/NAME: that resolves inside
// the very directory we opened, whatever is renamed or swapped in at its path
// afterwards — openat(2)'s guarantee, for calls such as mount(2) and
// umount2(2) that take only a path. The last component is never followed
// either (O_NOFOLLOW, UMOUNT_NOFOLLOW at the call sites).
import { errorCode } from '../netlink/errno.js';
import { closeSync, lstatSync, openSync } from 'node:fs';
import { constants } from 'node:os';
import { O_DIRECTORY, O_NOFOLLOW, O_RDONLY } from '../generated/asm/fcntl.js';
import { describe } from '../netlink/describe.js';
import { EncodeError } from '../netlink/errors.js';

export interface DirFd {
  readonly fd: number;
  /** The directory as named when it was opened, for messages. */
  readonly path: string;
  /** A path to `name` inside the opened directory (name: one component, checked). */
  at(name: string): string;
  close(): void;
  [Symbol.dispose](): void;
}

/** One path component: not empty, not . or .., no / or NUL. Throws EncodeError. */
export function checkComponent(name: unknown, what: string): string {
  if (typeof name !== 'string' || name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) {
    throw new EncodeError(what, `${describe(name)} is not a single file name`);
  }
  return name;
}

/**
 * Opens a directory without following a symbolic link at its path (ELOOP
 * then, or ENOTDIR for something else). Throws Node's fs errors.
 */
export function openDir(path: string): DirFd {
  let fd: number;
  try {
    fd = openSync(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
  } catch (err) {
    // With O_DIRECTORY the kernel says ENOTDIR for a link; name it for what it is.
    if (errorCode(err) === 'ENOTDIR' && isLink(path)) throw linkError(path);
    throw err;
  }
  let open = true;
  const close = (): void => { if (open) { open = false; closeSync(fd); } };
  return {
    fd, path,
    at: (name) => `/proc/self/fd/${fd}/${checkComponent(name, path)}`,
    close,
    [Symbol.dispose]: close,
  };
}

function isLink(path: string): boolean {
  try { return lstatSync(path).isSymbolicLink(); } catch { return false; }
}

/** An fs-style error (code, errno, syscall) saying that a path is a symbolic link. */
export function linkError(path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`ELOOP: ${path} is a symbolic link`), { code: 'ELOOP', errno: -constants.errno.ELOOP, syscall: 'open', path });
}

/** Words for why a directory could not be opened: a link is refused on purpose. */
export function openProblem(err: unknown, path: string): string {
  switch (errorCode(err)) {
    case 'ELOOP': return `${path} is a symbolic link; refusing to follow it`;
    case 'ENOTDIR': return `${path} is not a directory`;
    default: return `cannot open ${path}`;
  }
}
