// ingress and clsact: the hooks filters attach to on receive (and, for
// clsact, on transmit too). They take no options; their parent and handle
// are fixed (ffff:fff1 and ffff:), which the request builder fills in.
import { type QdiscKind, type TcPrint } from '../kind.js';
import { noOptions } from '../options.js';
import { noWords } from '../kind-words.js';

// ── tc words and printers ──

const printIngress: TcPrint<unknown> = (p) => { p.onlyText('---------------- '); };

/** A qdisc kind without options (ingress, clsact). */
export type NoOptionsKind = QdiscKind<Record<string, never>, Record<string, never> | undefined, never, never, never, never>;

export const ingress: NoOptionsKind = { kind: 'ingress', qdisc: noOptions, words: noWords, print: printIngress };
export const clsact: NoOptionsKind = { kind: 'clsact', qdisc: noOptions, words: noWords, print: null };
