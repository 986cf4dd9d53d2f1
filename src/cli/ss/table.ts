// ss's output table (iproute2 6.1 misc/ss.c: columns, out(), render()):
// every row is one token per column, a column is as wide as its widest
// token plus its left delimiter, Local/Peer Address right-aligned, the rest
// left-aligned with trailing padding. Written to a pipe, ss does not spread
// the columns over a terminal's width, and neither does this. ss renders in
// batches (once its buffer holds 5 chunks of 1 MiB), each with its own
// widths; so does this, counting bytes as ss's buffer does.

export const enum Col { Netid, State, RecvQ, SendQ, Local, LPort, Peer, RPort, Process, Ext }

interface Column { header: string; ldelim: string; right: boolean }

const COLUMNS: readonly Column[] = [
  { header: 'Netid', ldelim: '', right: false },
  { header: 'State', ldelim: ' ', right: false },
  { header: 'Recv-Q', ldelim: ' ', right: false },
  { header: 'Send-Q', ldelim: ' ', right: false },
  { header: 'Local Address:', ldelim: ' ', right: true },
  { header: 'Port', ldelim: '', right: false },
  { header: 'Peer Address:', ldelim: ' ', right: true },
  { header: 'Port', ldelim: '', right: false },
  { header: 'Process', ldelim: '', right: false },
  { header: '', ldelim: '', right: false },
];

const BUF_CHUNK = 1024 * 1024 - 16; // what a chunk holds after its header
const BUF_CHUNKS_MAX = 5;

export class SsTable {
  private rows: string[][] = [];
  private chunks = 0;
  private used = BUF_CHUNK; // no chunk yet
  private readonly enabled: Col[];
  private lastIsSocket = false;
  /** Widest token so far per enabled column (the Process column: all but the last row's). */
  private widths: number[];
  private readonly processAt: number;
  /** The last row's Process token length, not yet counted (-1: none). */
  private pendingProcess = -1;

  constructor(private readonly write: (s: string) => void, disabled: ReadonlySet<Col>, header: boolean) {
    this.enabled = COLUMNS.map((_, i) => i as Col).filter((c) => !disabled.has(c));
    this.widths = this.enabled.map(() => 0);
    this.processAt = this.enabled.indexOf(Col.Process);
    if (header) this.add(COLUMNS.map((c) => c.header), false);
  }

  /** One row: a token per column (all ten; disabled columns are dropped). */
  add(tokens: readonly string[], socket = true): void {
    // ss checks its buffer when it moves past the last column, i.e. as the next row starts.
    if (this.chunks >= BUF_CHUNKS_MAX) this.flush();
    // The previous row's Process token is measured now that a row follows it.
    if (this.pendingProcess >= 0) this.widths[this.processAt] = Math.max(this.widths[this.processAt]!, this.pendingProcess);
    this.lastIsSocket = socket;
    const row = this.enabled.map((c) => tokens[c] ?? '');
    for (let k = 0; k < row.length; k++) {
      const len = Buffer.byteLength(row[k]!);
      this.account(len);
      if (k === this.processAt) this.pendingProcess = len;
      else if (len > this.widths[k]!) this.widths[k] = len;
    }
    this.rows.push(row);
  }

  private account(len: number): void {
    const need = 2 + len + (len & 1);
    if (this.used + need > BUF_CHUNK) { this.chunks++; this.used = 0; }
    this.used += need;
  }

  /**
   * Prints what is held with its own widths (ss's render()). ss measures a
   * token when it moves past it, and at the very end it has not moved past
   * the last socket's Process token: that one does not widen its column.
   */
  flush(final = false): void {
    if (this.rows.length === 0) return;
    const widths = [...this.widths];
    if (!(final && this.lastIsSocket) && this.pendingProcess >= 0) widths[this.processAt] = Math.max(widths[this.processAt]!, this.pendingProcess);
    let first = true;
    this.enabled.forEach((c, k) => {
      if (!first && widths[k]) widths[k] += COLUMNS[c]!.ldelim.length;
      if (widths[k]) first = false;
    });
    let text = '';
    const last = this.rows.length - 1;
    this.rows.forEach((row, r) => {
      // The last row ends with its last written column (ss never flushed the one after it).
      const n = r === last ? lastWritten(row, this.enabled) : row.length;
      let line = '';
      for (let k = 0; k < n; k++) {
        const col = COLUMNS[this.enabled[k]!]!;
        const w = widths[k]!;
        let printed = 0;
        if (k > 0) { line += col.ldelim; printed = col.ldelim.length; }
        const len = Buffer.byteLength(row[k]!);
        if (w && col.right) {
          const s = w - len - printed;
          if (s > 0) { line += ' '.repeat(s); printed += s; }
        }
        line += row[k];
        printed += len;
        if (w && !col.right) {
          const s = w - printed;
          if (s > 0) line += ' '.repeat(s);
        }
      }
      text += `${line}\n`;
      // Written in pieces: one string for a whole large table costs more than it saves.
      if (text.length >= 1 << 16) { this.write(text); text = ''; }
    });
    if (text) this.write(text);
    this.rows = [];
    this.widths = this.enabled.map(() => 0);
    this.pendingProcess = -1;
    this.chunks = 0;
    this.used = BUF_CHUNK;
  }
}

/** How many tokens of the final row ss prints: up to the Process column (the one after it was never started). */
function lastWritten(row: readonly string[], enabled: readonly Col[]): number {
  const ext = enabled.indexOf(Col.Ext);
  return ext < 0 ? row.length : ext;
}
