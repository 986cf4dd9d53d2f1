// Event-driven reading of a netlink fd without the libuv threadpool: the fd
// (a duplicate of it) is wrapped in a pipe_wrap handle and a net.Socket, so
// libuv's epoll loop reads each datagram as it arrives and the process can
// still exit. pipe_wrap is an internal Node binding: it is used here and
// nowhere else, and test/unit/fd-watch.test.ts exercises it on every Node
// the package supports (docs/architecture.md).
import net from 'node:net';
import { close, fcntl } from '../ffi/libc.js';
import { OsError } from '../ffi/os-error.js';
import { FD_CLOEXEC, F_DUPFD, F_SETFD } from '../generated/asm/fcntl.js';
import type { Watch } from './transport.js';

interface PipeHandle { open(fd: number): number }
interface PipeBinding { Pipe: new (type: number) => PipeHandle; constants: { SOCKET: number } }

let binding: PipeBinding | undefined;
function pipeBinding(): PipeBinding {
  binding ??= (process as unknown as { binding(name: string): PipeBinding }).binding('pipe_wrap');
  return binding;
}

/**
 * Delivers every datagram that arrives on fd. A read error (ENOBUFS: the
 * kernel dropped messages) is reported through onError and delivery resumes
 * on a fresh handle, since Node destroys a stream after a read error.
 */
export function watchFd(fd: number, onData: (d: Buffer) => void, onError: (e: Error) => void): Watch {
  let sock: net.Socket | undefined;
  let stopped = false;
  let referenced = true;

  const start = (): void => {
    // A duplicate, so that closing the stream (Node does on a read error) leaves the socket open.
    const dup = fcntl(fd, F_DUPFD, 0);
    fcntl(dup, F_SETFD, FD_CLOEXEC);
    const { Pipe, constants } = pipeBinding();
    const handle = new Pipe(constants.SOCKET);
    const rc = handle.open(dup);
    if (rc !== 0) {
      close(dup);
      throw new OsError('uv_pipe_open', -rc);
    }
    const s = new net.Socket({ handle, readable: true, writable: false } as net.SocketConstructorOpts);
    sock = s;
    if (!referenced) s.unref();
    s.on('data', (d: Buffer) => { if (!stopped) onData(d); });
    s.on('error', (err: NodeJS.ErrnoException) => {
      if (stopped) return;
      onError(typeof err.errno === 'number' ? new OsError('read', Math.abs(err.errno)) : err);
      // The stream is gone; the socket (and its membership) is not.
      queueMicrotask(() => { if (!stopped) start(); });
    });
  };
  start();

  return {
    stop(): Buffer[] {
      stopped = true;
      const left: Buffer[] = [];
      if (sock) {
        let chunk: Buffer | null;
        while ((chunk = sock.read() as Buffer | null) !== null) left.push(chunk);
        sock.destroy();
      }
      return left;
    },
    ref(): void { referenced = true; sock?.ref(); },
    unref(): void { referenced = false; sock?.unref(); },
  };
}
