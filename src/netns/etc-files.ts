// /etc/netns/NAME/FILE: a namespace's own configuration files, which exec
// (like ip netns exec) binds over /etc/FILE — resolv.conf and hosts for a
// lab's DNS. Written and removed without ever going through a symbolic link
// placed under /etc/netns: each directory is opened refusing a link, files
// are made inside the opened directory (dir-fd.ts) with O_NOFOLLOW, and a
// write replaces the file by rename, so a link swapped in is replaced, not
// followed, and readers never see half a file.
import { errorCode } from '../netlink/errno.js';
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmdirSync, unlinkSync, writeSync } from 'node:fs';
import { O_CREAT, O_EXCL, O_NOFOLLOW, O_RDONLY, O_WRONLY } from '../generated/asm/fcntl.js';
import { type DirFd, checkComponent, openDir, openProblem } from './dir-fd.js';
import { NetnsError } from './errors.js';
import { NETNS_ETC_DIR, checkNetnsName } from './names.js';
import { describe } from '../netlink/describe.js';
import { EncodeError } from '../netlink/errors.js';

function mkdirOk(path: string, operation: string, shown: string): void {
  try {
    mkdirSync(path, { mode: 0o755 });
  } catch (err) {
    if (errorCode(err) !== 'EEXIST') throw NetnsError.from(err, operation, `cannot create ${shown}`);
  }
}

function open(path: string, operation: string): DirFd {
  try {
    return openDir(path);
  } catch (err) {
    throw NetnsError.from(err, operation, openProblem(err, path));
  }
}

/** /etc/netns/NAME opened (both made when `create`); undefined when absent and not to be made. */
function openNameDir(name: string, operation: string, create: boolean): DirFd | undefined {
  checkNetnsName(name);
  if (create) mkdirOk(NETNS_ETC_DIR, operation, NETNS_ETC_DIR);
  let etc: DirFd;
  try {
    etc = openDir(NETNS_ETC_DIR);
  } catch (err) {
    if (!create && errorCode(err) === 'ENOENT') return undefined;
    throw NetnsError.from(err, operation, openProblem(err, NETNS_ETC_DIR));
  }
  try {
    if (create) mkdirOk(etc.at(name), operation, `${NETNS_ETC_DIR}/${name}`);
    try {
      return openDir(etc.at(name));
    } catch (err) {
      if (!create && errorCode(err) === 'ENOENT') return undefined;
      throw NetnsError.from(err, operation, openProblem(err, `${NETNS_ETC_DIR}/${name}`));
    }
  } finally {
    etc.close();
  }
}

/** How a file under /etc/netns/<name> is written: its mode, and whether an existing one is an error. */
export interface EtcWriteOptions {
  /** File mode. Default 0o644. */
  mode?: number;
  /** Fail with EEXIST when the file (or anything, a link included) is there already, instead of replacing it. */
  exclusive?: boolean;
}

function checkWriteOptions(opts: unknown): void {
  if (opts === null || typeof opts !== 'object' || Array.isArray(opts)) throw new EncodeError('options', `expected an object, got ${describe(opts)}`);
  const { mode, exclusive, ...rest } = opts as Record<string, unknown>;
  const unknown = Object.keys(rest)[0];
  if (unknown !== undefined) throw new EncodeError(`options.${unknown}`, 'is not an option of writeEtcFile (known: mode, exclusive)');
  if (mode !== undefined && (typeof mode !== 'number' || !Number.isInteger(mode) || mode < 0 || mode > 0o7777)) throw new EncodeError('mode', `expected a file mode from 0 to 0o7777, got ${describe(mode)}`);
  if (exclusive !== undefined && typeof exclusive !== 'boolean') throw new EncodeError('exclusive', `expected true or false, got ${describe(exclusive)}`);
}

/**
 * Writes /etc/netns/NAME/FILE (making the directories): by default replacing
 * what was there at once (a temporary file renamed over it); with
 * `exclusive`, only if nothing is there. FILE is one file name ('resolv.conf').
 */
export function writeNetnsEtcFile(name: string, file: string, content: string | Uint8Array, opts: EtcWriteOptions = {}): void {
  checkNetnsName(name);
  checkComponent(file, 'file');
  if (typeof content !== 'string' && !(content instanceof Uint8Array)) throw new EncodeError('content', `expected a string or a Uint8Array (a Buffer), got ${describe(content)}`);
  checkWriteOptions(opts);
  const operation = `netns etc write ${name}/${file}`;
  using dir = openNameDir(name, operation, true)!;
  const target = opts.exclusive ? file : `.${file}.nlts-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
  let fd: number;
  try {
    fd = openSync(dir.at(target), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, opts.mode ?? 0o644);
  } catch (err) {
    const code = errorCode(err);
    throw NetnsError.from(err, operation, code === 'EEXIST' ? `${NETNS_ETC_DIR}/${name}/${file} exists already` : `cannot create a file in ${NETNS_ETC_DIR}/${name}`);
  }
  try {
    const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    for (let at = 0; at < data.length;) at += writeSync(fd, data, at, data.length - at);
    closeSync(fd);
    fd = -1;
    if (target !== file) renameSync(dir.at(target), dir.at(file));
  } catch (err) {
    if (fd >= 0) closeSync(fd);
    try { unlinkSync(dir.at(target)); } catch { /* not made */ }
    throw NetnsError.from(err, operation, `cannot write ${NETNS_ETC_DIR}/${name}/${file}`);
  }
}

/** The text of /etc/netns/NAME/FILE, never read through a link; undefined when it is not there. */
export function readNetnsEtcFile(name: string, file: string): string | undefined {
  checkNetnsName(name);
  checkComponent(file, 'file');
  const operation = `netns etc read ${name}/${file}`;
  const dir = openNameDir(name, operation, false);
  if (!dir) return undefined;
  try {
    const fd = openSync(dir.at(file), O_RDONLY | O_NOFOLLOW);
    try { return readFileSync(fd, 'utf8'); } finally { closeSync(fd); }
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return undefined;
    throw NetnsError.from(err, operation, errorCode(err) === 'ELOOP' ? `${NETNS_ETC_DIR}/${name}/${file} is a symbolic link; refusing to follow it` : `cannot read ${NETNS_ETC_DIR}/${name}/${file}`);
  } finally {
    dir.close();
  }
}

/**
 * Removes files from /etc/netns/NAME (a link among them is removed itself,
 * never what it points to), then the directory if that left it empty.
 * Returns whether anything was removed.
 */
export function removeNetnsEtcFiles(name: string, files: readonly string[]): boolean {
  checkNetnsName(name);
  if (!Array.isArray(files)) throw new EncodeError('files', `expected an array of file names, got ${describe(files)}`);
  files.forEach((f, i) => checkComponent(f, `files[${i}]`));
  const operation = `netns etc remove ${name}`;
  const dir = openNameDir(name, operation, false);
  if (!dir) return false;
  let removed = false;
  try {
    for (const f of files) {
      try {
        unlinkSync(dir.at(f));
        removed = true;
      } catch (err) {
        if (errorCode(err) !== 'ENOENT') throw NetnsError.from(err, operation, `cannot remove ${NETNS_ETC_DIR}/${name}/${f}`);
      }
    }
  } finally {
    dir.close();
  }
  using etc = open(NETNS_ETC_DIR, operation);
  try {
    rmdirSync(etc.at(name));
    removed = true;
  } catch { /* not empty (other files are not ours), or gone */ }
  return removed;
}
