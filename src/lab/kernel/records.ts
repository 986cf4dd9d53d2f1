// Lab records on disk: one JSON file per lab under a directory only its owner
// (root) may write, so that no one else can plant a record that down() would
// act on. A record is written whole through a temporary file made with
// O_EXCL|O_NOFOLLOW under a name no one else uses (pid and random bytes),
// then renamed; it is read with O_NOFOLLOW. Every failure — unreadable,
// unwritable (a read-only or full file system), a link, a directory others
// may write — is a LabRecordError that says what to do, never a stack trace.
import { randomBytes } from 'node:crypto';
import { rmdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { lstat, mkdir, open, rename, rmdir, unlink } from 'node:fs/promises';
import { O_CREAT, O_EXCL, O_NOFOLLOW, O_RDONLY, O_WRONLY } from '../../generated/asm/fcntl.js';
import type { LabRecord } from '../backend.js';
import { LabRecordError } from '../errors.js';
import { type LockOptions, lockLab } from './lock.js';

/** Where records are kept unless told otherwise. */
export const RECORD_DIR = '/run/netlink-ts/labs';
const RECORD_PARENT = '/run/netlink-ts';

const code = (err: unknown) => (err as NodeJS.ErrnoException | null)?.code;
const what = (err: unknown) => code(err) ?? (err instanceof Error ? err.message : String(err));

/** Why a directory is not safe to keep records in, or undefined. */
async function unsafeDir(dir: string): Promise<string | undefined> {
  const st = await lstat(dir);
  if (st.isSymbolicLink()) return `${dir} is a symbolic link`;
  if (!st.isDirectory()) return `${dir} is not a directory`;
  const uid = process.geteuid?.();
  if (uid !== undefined && st.uid !== uid) return `${dir} belongs to user ${st.uid}, not to this one (${uid})`;
  if (st.mode & 0o022) return `${dir} may be written by others (mode ${(st.mode & 0o777).toString(8)})`;
  return undefined;
}

/** Lab records, one JSON file per lab name. */
export class RecordStore {
  constructor(readonly dir: string = RECORD_DIR) {}

  file(lab: string): string {
    return `${this.dir}/${lab}.json`;
  }

  /** The directories from the top one this store may create, down to its own. */
  private chain(): string[] {
    return this.dir === RECORD_DIR ? [RECORD_PARENT, RECORD_DIR] : [this.dir];
  }

  private fail(lab: string, problem: string, todo: string, cause?: unknown, kind: 'unusable' | 'io' = 'io'): LabRecordError {
    return new LabRecordError(`lab "${lab}": ${problem}; ${todo}`, kind, cause === undefined ? undefined : { cause });
  }

  /** Makes the directories when missing and checks that only their owner may write them. */
  async prepare(lab: string): Promise<void> {
    for (const dir of this.chain()) {
      try {
        // A recursive mkdir reports EROFS as ENOENT: the parents that way, the directory itself by itself.
        if (dir === this.dir && this.dir !== RECORD_DIR) await mkdir(dirname(dir), { recursive: true, mode: 0o755 }).catch(() => undefined);
        await mkdir(dir, { mode: 0o755 });
      } catch (err) {
        if (code(err) !== 'EEXIST') throw this.fail(lab, `cannot create the record directory ${dir}: ${what(err)}`, 'nothing was changed; make it writable (a read-only /run?) and try again', err);
      }
      const bad = await unsafeDir(dir).catch((err: unknown) => `cannot look at ${dir}: ${what(err)}`);
      if (bad) throw this.fail(lab, `the record directory is not safe: ${bad}`, `nothing was changed; remove it (or give it to this user, mode 755) and try again`);
    }
  }

  /** The record, undefined when there is none; a LabRecordError when it cannot be read or parsed. */
  async load(lab: string): Promise<unknown> {
    const file = this.file(lab);
    const todo = `remove it by hand, or run "lab down FILE --force" with the lab's description FILE, which removes what the description names and then the record`;
    for (const dir of this.chain()) {
      const bad = await unsafeDir(dir).catch((err: unknown) => (code(err) === 'ENOENT' ? undefined : `cannot look at ${dir}: ${what(err)}`));
      if (bad) throw this.fail(lab, `the record directory is not safe: ${bad}`, 'remove it (or give it to this user, mode 755); a record there is not trusted', undefined, 'unusable');
    }
    let text: string;
    try {
      const fh = await open(file, O_RDONLY | O_NOFOLLOW);
      try {
        if (!(await fh.stat()).isFile()) throw Object.assign(new Error('not a regular file'), { code: 'EISDIR' });
        text = await fh.readFile('utf8');
      } finally {
        await fh.close();
      }
    } catch (err) {
      if (code(err) === 'ENOENT') return undefined;
      const problem = code(err) === 'ELOOP' ? `its record ${file} is a symbolic link, which is never followed` : `cannot read its record ${file}: ${what(err)}`;
      throw this.fail(lab, problem, todo, err, 'unusable');
    }
    try {
      return JSON.parse(text);
    } catch (err) {
      throw this.fail(lab, `its record ${file} is not valid JSON (${text.length === 0 ? 'it is empty' : (err as Error).message})`, todo, err, 'unusable');
    }
  }

  /** Written whole or not at all (a rename), so a reader never sees half a record. */
  async save(record: LabRecord): Promise<void> {
    await this.prepare(record.lab);
    const file = this.file(record.lab);
    const tmp = `${this.dir}/.${record.lab}.json.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    const todo = 'nothing was created; free some space or make it writable, then try again';
    try {
      const fh = await open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o644);
      try {
        await fh.writeFile(`${JSON.stringify(record, null, 2)}\n`);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, file);
    } catch (err) {
      await unlink(tmp).catch(() => undefined);
      throw this.fail(record.lab, `cannot write its record ${file}: ${what(err)}`, todo, err);
    }
  }

  async remove(lab: string): Promise<void> {
    try {
      await unlink(this.file(lab));
    } catch (err) {
      if (code(err) !== 'ENOENT') {
        throw this.fail(lab, `cannot remove its record ${this.file(lab)}: ${what(err)}`, 'what it listed was removed; remove the record by hand', err);
      }
    }
    await this.tidy();
  }

  /** The last lab down leaves no empty record folders behind (another lab's record or lock keeps them). */
  async tidy(): Promise<void> {
    for (const dir of this.chain().reverse()) {
      try {
        await rmdir(dir);
      } catch {
        break; // not empty, or not ours to remove: it stays
      }
    }
  }

  /** tidy() for the process's 'exit' event, where nothing asynchronous runs. */
  private tidySync(): void {
    for (const dir of this.chain().reverse()) {
      try {
        rmdirSync(dir);
      } catch {
        break;
      }
    }
  }

  /**
   * Takes the lab's lock (lock.ts); resolves to its release, which also tidies
   * the directories. A process that exits holding it (a signal ending an
   * up() half way) removes it on its way out.
   */
  async lock(lab: string, options?: LockOptions): Promise<() => Promise<void>> {
    await this.prepare(lab);
    const held = await lockLab(this.dir, lab, options);
    const onExit = () => {
      held.releaseSync();
      this.tidySync();
    };
    process.on('exit', onExit);
    return async () => {
      // The process may end while this runs (a signal during up()): the exit hook stays until the lock is gone.
      await held.release();
      process.off('exit', onExit);
      await this.tidy();
    };
  }
}
