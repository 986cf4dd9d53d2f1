// /etc/netns/NAME/FILE: a namespace's own configuration files, which exec
// (like ip netns exec) binds over /etc/FILE — resolv.conf and hosts for a
// lab's DNS. Written and removed without ever going through a symbolic link
// placed under /etc/netns: each directory is opened refusing a link, files
// are made inside the opened directory (dir-fd.ts) with O_NOFOLLOW, and a
// write replaces the file by rename, so a link swapped in is replaced, not
// followed, and readers never see half a file.
import { closeSync, mkdirSync, openSync, renameSync, rmdirSync, unlinkSync, writeSync } from 'node:fs';
import { O_CREAT, O_EXCL, O_NOFOLLOW, O_WRONLY } from '../generated/asm-generic/fcntl.js';
import { type DirFd, checkComponent, openDir, openProblem } from './dir-fd.js';
import { NetnsError } from './errors.js';
import { NETNS_ETC_DIR, checkNetnsName } from './names.js';

function mkdirOk(path: string, operation: string, shown: string): void {
  try {
    mkdirSync(path, { mode: 0o755 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw NetnsError.from(err, operation, `cannot create ${shown}`);
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
    if (!create && (err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw NetnsError.from(err, operation, openProblem(err, NETNS_ETC_DIR));
  }
  try {
    if (create) mkdirOk(etc.at(name), operation, `${NETNS_ETC_DIR}/${name}`);
    try {
      return openDir(etc.at(name));
    } catch (err) {
      if (!create && (err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw NetnsError.from(err, operation, openProblem(err, `${NETNS_ETC_DIR}/${name}`));
    }
  } finally {
    etc.close();
  }
}

/**
 * Writes /etc/netns/NAME/FILE (making the directories), replacing what was
 * there at once. FILE is one file name ('resolv.conf', 'hosts').
 */
export function writeNetnsEtcFile(name: string, file: string, content: string | Uint8Array, mode = 0o644): void {
  checkComponent(file, 'file');
  const operation = `netns etc write ${name}/${file}`;
  using dir = openNameDir(name, operation, true)!;
  const tmp = `.${file}.nlts-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
  let fd: number;
  try {
    fd = openSync(dir.at(tmp), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode);
  } catch (err) {
    throw NetnsError.from(err, operation, `cannot create a file in ${NETNS_ETC_DIR}/${name}`);
  }
  try {
    const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    for (let at = 0; at < data.length;) at += writeSync(fd, data, at, data.length - at);
    closeSync(fd);
    fd = -1;
    renameSync(dir.at(tmp), dir.at(file));
  } catch (err) {
    if (fd >= 0) closeSync(fd);
    try { unlinkSync(dir.at(tmp)); } catch { /* not made */ }
    throw NetnsError.from(err, operation, `cannot write ${NETNS_ETC_DIR}/${name}/${file}`);
  }
}

/**
 * Removes files from /etc/netns/NAME (a link among them is removed itself,
 * never what it points to), then the directory if that left it empty.
 * Returns whether anything was removed.
 */
export function removeNetnsEtcFiles(name: string, files: readonly string[]): boolean {
  for (const f of files) checkComponent(f, 'file');
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
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw NetnsError.from(err, operation, `cannot remove ${NETNS_ETC_DIR}/${name}/${f}`);
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
