// ingress and clsact: the hooks filters attach to on receive (and, for
// clsact, on transmit too). They take no options; their parent and handle
// are fixed (ffff:fff1 and ffff:), which the request builder fills in.
import type { QdiscKind } from '../kind.js';
import { noOptions } from '../options.js';

type NoOptionsKind = QdiscKind<Record<string, never>, Record<string, never> | undefined, never, never, never, never>;

export const ingress: NoOptionsKind = { kind: 'ingress', qdisc: noOptions };
export const clsact: NoOptionsKind = { kind: 'clsact', qdisc: noOptions };
