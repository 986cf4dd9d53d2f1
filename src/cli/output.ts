// Where the CLI writes: plain lines, or JSON like iproute2's -j (one array, compact unless -p).
export interface Output {
  line(text: string): void;
  json(value: unknown): void;
}

export function stdoutOutput(pretty: boolean): Output {
  return {
    line: (text) => { process.stdout.write(`${text}\n`); },
    json: (value) => { process.stdout.write(`${JSON.stringify(value, null, pretty ? 4 : undefined)}\n`); },
  };
}

/**
 * When the reader of our output goes away (`netlink-ts address show | head`),
 * end as ip does: ip dies of SIGPIPE, silently, and the shell reports 141
 * (128 + SIGPIPE). Node ignores SIGPIPE and turns it into an EPIPE 'error'
 * on stdout, which would otherwise end the process with a stack trace.
 */
export function exitQuietlyOnBrokenPipe(stream: NodeJS.WriteStream = process.stdout): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(141);
    throw err;
  });
}
