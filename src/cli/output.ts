// Where the CLI writes: plain lines, or JSON like iproute2's -j (one array, compact unless -p).
export interface Output {
  line(text: string): void;
  json(value: unknown): void;
  /**
   * A dump's rows written as they are made, in chunks: the same bytes as
   * `json([...values])`, or as `line(text)` for each text, without holding
   * the rows (a table of 100,000 routes prints in flat memory).
   */
  rows(json: boolean): Rows;
}

/** One row at a time (an object for JSON, a line of text otherwise), then end(). */
export interface Rows { add(row: unknown): void; end(): void }

/** Writes are gathered up to this size: one write per route would cost a system call each. */
const CHUNK = 64 * 1024;

/** Rows are turned into JSON this many at a time: one JSON.stringify call per row costs more than the row. */
const ROWS_PER_STRINGIFY = 256;

/** The text of a JSON array, made rows at a time: exactly what JSON.stringify(array, null, indent) makes of the whole. */
export function jsonArrayRows(write: (text: string) => void, pretty: boolean): Rows {
  let buf = '';
  let pending: unknown[] = [];
  let started = false;
  const flush = (): void => {
    if (pending.length === 0) return;
    // The rows' own array, less its brackets: "a,b" (compact) or "    a,\n    b" (pretty, already indented).
    const s = JSON.stringify(pending, null, pretty ? 4 : undefined);
    buf += (started ? (pretty ? ',\n' : ',') : (pretty ? '[\n' : '[')) + (pretty ? s.slice(2, -2) : s.slice(1, -1));
    started = true;
    pending = [];
    if (buf.length >= CHUNK) { write(buf); buf = ''; }
  };
  return {
    add(row) {
      pending.push(row);
      if (pending.length >= ROWS_PER_STRINGIFY) flush();
    },
    end() {
      flush();
      write(`${buf}${!started ? '[]' : pretty ? '\n]' : ']'}\n`);
      buf = '';
    },
  };
}

/** Lines of text, gathered into chunks. */
export function textRows(write: (text: string) => void): Rows {
  let buf = '';
  return {
    add(row) {
      buf += `${row as string}\n`;
      if (buf.length >= CHUNK) { write(buf); buf = ''; }
    },
    end() {
      if (buf) write(buf);
      buf = '';
    },
  };
}

export function stdoutOutput(pretty: boolean): Output {
  // Writes to a pipe or a file are synchronous on Linux, so a chunk is out before the next is made.
  const write = (text: string): void => { process.stdout.write(text); };
  return {
    line: (text) => { write(`${text}\n`); },
    json: (value) => { write(`${JSON.stringify(value, null, pretty ? 4 : undefined)}\n`); },
    rows: (json) => (json ? jsonArrayRows(write, pretty) : textRows(write)),
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
