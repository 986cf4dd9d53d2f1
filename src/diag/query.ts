// What list()/stream() take, checked in one place before anything is sent,
// and turned into the requests to make: one dump per protocol (and per
// family for TCP/UDP/raw), each with its kernel-side filter where the
// kernel has one, and what to keep of the answers where it has none.
import { describe } from '../netlink/describe.js';
import { EncodeError } from '../netlink/errors.js';
import type { Decoder, Request } from '../netlink/request.js';
import { BPF_TCP_CLOSE } from '../generated/linux/bpf.js';
import { checkFilter, compileFilter, type FilterNode, type FilterSubject, matchFilter, type SocketFilter } from './filter.js';
import { inetDecoder, inetDumpRequest } from './inet.js';
import { netlinkDecoder, netlinkDumpRequest } from './netlink.js';
import { packetDecoder, packetDumpRequest } from './packet.js';
import { type SocketState, type SocketStateGroup, statesMask } from './states.js';
import type { DiagExtensions, DiagProtocol, DiagSocket } from './types.js';
import { unixDecoder, unixDumpRequest } from './unix.js';

/** `SockDiag.list` / `stream`: which sockets. Everything is optional: by default every socket of every kind. */
export interface SocketListFilter {
  /** Default: all of tcp, udp, raw, unix, packet, netlink. */
  protocols?: readonly DiagProtocol[];
  /** For TCP, UDP and raw: IPv4, IPv6 or both (default). */
  families?: readonly (4 | 6)[];
  /** States and groups (`connected`, `all`...), as `ss state` takes them, or a bit mask (bit n: state n). Default: all. */
  states?: readonly (SocketState | SocketStateGroup)[] | number;
  /** Port and address conditions; run in the kernel for TCP/UDP/raw. */
  filter?: SocketFilter;
  /** Extra information per socket. */
  extensions?: DiagExtensions;
}

export const ALL_PROTOCOLS: readonly DiagProtocol[] = ['tcp', 'udp', 'raw', 'unix', 'packet', 'netlink'];
const EXTENSIONS: readonly (keyof DiagExtensions)[] = ['info', 'memory', 'tos', 'details'];
const KEYS = ['protocols', 'families', 'states', 'filter', 'extensions'];

/** One dump to make, and which of its answers to keep. */
export interface DiagDump {
  protocol: DiagProtocol;
  /** Whether the caller named the protocol (else it came with the default "all" and may be missing from the kernel). */
  explicit: boolean;
  request: Request;
  decode: Decoder<DiagSocket>;
  keep?: (s: DiagSocket) => boolean;
}

function subjectOf(s: DiagSocket): FilterSubject {
  switch (s.kind) {
    case 'inet': return { lport: s.local.port, rport: s.remote.port, local: s.local.bytes, remote: s.remote.bytes };
    // What ss compares ports with for these (its sockstat lport/rport).
    case 'unix': return { lport: s.inode, rport: s.peer };
    case 'packet': return { lport: s.ifindex, rport: 0 };
    case 'netlink': return { lport: s.portId, rport: -1 };
  }
}

/** Checks a list filter and plans its dumps. Throws EncodeError (nothing sent) for bad input. */
export function planDumps(q: SocketListFilter = {}): DiagDump[] {
  if (q === null || typeof q !== 'object' || Array.isArray(q)) throw new EncodeError('filter', `expected an object, got ${describe(q)}`);
  const extra = Object.keys(q).filter((k) => !KEYS.includes(k));
  if (extra.length > 0) throw new EncodeError(extra[0]!, `unknown option (known: ${KEYS.join(', ')})`);
  const protocols = q.protocols ?? ALL_PROTOCOLS;
  if (!Array.isArray(protocols) || protocols.length === 0) throw new EncodeError('protocols', `expected a non-empty array of ${ALL_PROTOCOLS.join(', ')}, got ${describe(protocols)}`);
  protocols.forEach((p, i) => { if (!ALL_PROTOCOLS.includes(p)) throw new EncodeError(`protocols[${i}]`, `unknown protocol ${describe(p)} (known: ${ALL_PROTOCOLS.join(', ')})`); });
  const families = q.families ?? [4, 6];
  if (!Array.isArray(families) || families.length === 0) throw new EncodeError('families', `expected a non-empty array of 4 and/or 6, got ${describe(families)}`);
  families.forEach((f, i) => { if (f !== 4 && f !== 6) throw new EncodeError(`families[${i}]`, `expected 4 or 6, got ${describe(f)}`); });
  const states = statesMask(q.states);
  const node: FilterNode | undefined = q.filter === undefined ? undefined : checkFilter(q.filter);
  const ext = q.extensions ?? {};
  if (ext === null || typeof ext !== 'object' || Array.isArray(ext)) throw new EncodeError('extensions', `expected an object, got ${describe(ext)}`);
  for (const [k, v] of Object.entries(ext)) {
    if (!EXTENSIONS.some((x) => x === k)) throw new EncodeError(`extensions.${k}`, `unknown extension (known: ${EXTENSIONS.join(', ')})`);
    if (v !== undefined && typeof v !== 'boolean') throw new EncodeError(`extensions.${k}`, `expected a boolean, got ${describe(v)}`);
  }
  const bytecode = node ? compileFilter(node) : undefined;
  const keep = node ? (s: DiagSocket) => matchFilter(node, subjectOf(s)) : undefined;
  const dumps: DiagDump[] = [];
  const uniq = [...new Set(protocols)];
  const explicit = q.protocols !== undefined;
  for (const p of uniq) {
    switch (p) {
      case 'tcp': case 'udp': case 'raw':
        for (const f of [...new Set(families)].sort()) {
          dumps.push({ protocol: p, explicit, request: inetDumpRequest(p, f, states, ext, bytecode), decode: inetDecoder(p), keep });
        }
        break;
      case 'unix':
        dumps.push({ protocol: p, explicit, request: unixDumpRequest(states, ext), decode: unixDecoder, keep });
        break;
      // Packet and netlink sockets are always "unconnected": listed only when that state is asked for.
      case 'packet':
        if (states & (1 << BPF_TCP_CLOSE)) dumps.push({ protocol: p, explicit, request: packetDumpRequest(), decode: packetDecoder, keep });
        break;
      case 'netlink':
        if (states & (1 << BPF_TCP_CLOSE)) dumps.push({ protocol: p, explicit, request: netlinkDumpRequest(), decode: netlinkDecoder, keep });
        break;
    }
  }
  return dumps;
}
