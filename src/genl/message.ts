// One generic netlink message: nlmsghdr, genlmsghdr (cmd, version,
// reserved), the family's fixed header if its spec has one (ovs-header),
// then attributes of the operation's set. Decoding never throws: a message
// too short for its headers or an attribute that does not fit becomes an
// issue on the decoded message.
import { GENL_HDRLEN } from '../generated/linux/genetlink.js';
import { NLM_F_DUMP } from '../generated/linux/netlink.js';
import { type Codec, struct } from '../netlink/codec.js';
import { type DecodeIssue, EncodeError } from '../netlink/errors.js';
import { NLMSG_HDRLEN, NetlinkWriter, align4 } from '../netlink/writer.js';
import type { Decoder, Request } from '../netlink/request.js';
import { GenlSchema } from './schema.js';
import type { GenlSpec, YnlOp } from './spec.js';

/** One decoded message; `A` is the attribute object's type (typed for the committed families, see types.ts). */
export interface GenlMessage<A = Record<string, unknown>> {
  family: string;
  /** The operation the command number stands for (a reply's op, or a notification's). */
  op: string;
  cmd: number;
  version: number;
  /** The family's fixed header (ovs-header), when its spec has one. */
  header?: Record<string, unknown>;
  attrs: A;
  issues?: DecodeIssue[];
}

/** Encodes and decodes one family's messages from its spec. */
export class GenlCodec {
  readonly schema: GenlSchema;
  /** The fixed header's struct codec: it checks the object it is given (fields by name, integers in range). */
  private readonly headerCodec: Codec<Record<string, unknown>, unknown> | undefined;
  private readonly scratch = new NetlinkWriter(256);
  /** Notification ops by command number (notify/event ops; for others, replies to our requests). */
  private readonly byCmd = new Map<number, YnlOp>();

  constructor(readonly spec: GenlSpec) {
    this.schema = new GenlSchema(spec);
    this.headerCodec = this.schema.header ? struct(this.schema.header) : undefined;
    for (const op of spec.ops) {
      if (op.notify !== undefined || op.event !== undefined) this.byCmd.set(op.cmd, op);
    }
    for (const op of spec.ops) if (!this.byCmd.has(op.replyCmd ?? op.cmd)) this.byCmd.set(op.replyCmd ?? op.cmd, op);
  }

  /** Bytes after nlmsghdr before the attributes. */
  get headerSize(): number {
    return GENL_HDRLEN + align4(this.schema.header?.size ?? 0);
  }

  /** An operation by name; with a mode, one the spec allows in that mode. */
  op(name: string, mode?: 'do' | 'dump'): YnlOp {
    const op = this.spec.ops.find((o) => o.name === name);
    const choices = (m?: 'do' | 'dump'): string => this.spec.ops.filter((o) => !m || o[m]).map((o) => o.name).join(', ');
    if (!op) throw new EncodeError('op', `family ${this.spec.name} has no operation "${name}" (it has: ${choices()})`);
    if (mode && !op[mode]) throw new EncodeError('op', `${this.spec.name} ${name} cannot be used as ${mode === 'do' ? 'a request (do)' : 'a dump'} (${mode}: ${choices(mode) || 'none'})`);
    return op;
  }

  /** Encodes the request's attributes into scratch space: an EncodeError here means nothing is sent. */
  validate(op: YnlOp, mode: 'do' | 'dump', attrs: Record<string, unknown>): void {
    if (attrs === null || typeof attrs !== 'object' || Array.isArray(attrs)) throw new EncodeError(op.name, 'attributes must be an object');
    // With a fixed header (ovs-header) `header` is that struct; otherwise it is an ordinary attribute (ethtool has one).
    const { header, ...rest } = attrs;
    const mark = this.scratch.length;
    try {
      if (this.headerCodec) this.headerCodec.write(this.scratch, header ?? {}, `${this.spec.name}.${op.name}.header`);
      this.schema.requestSet(op, mode).validate(this.headerCodec ? rest : attrs, this.scratch, `${this.spec.name}.${op.name}`);
    } finally {
      this.scratch.truncate(mark);
    }
  }

  /** The request for `op` to the family with the kernel's id and version. */
  request(op: YnlOp, mode: 'do' | 'dump', familyId: number, version: number, attrs: Record<string, unknown>, operation?: string): Request {
    const set = this.schema.requestSet(op, mode);
    const path = `${this.spec.name}.${op.name}`;
    const { header, ...rest } = attrs;
    return {
      type: familyId,
      flags: mode === 'dump' ? NLM_F_DUMP : 0,
      operation: operation ?? `genl ${this.spec.name} ${op.name}`,
      headerSize: this.headerSize,
      body: (w) => {
        const at = w.reserve(GENL_HDRLEN);
        w.buffer[at] = op.cmd;
        w.buffer[at + 1] = version & 0xff;
        if (this.headerCodec) {
          const h = w.length;
          this.headerCodec.write(w, header ?? {}, `${path}.header`);
          w.reserve(align4(w.length - h) - (w.length - h));
          set.encode(w, rest, path);
        } else {
          set.encode(w, attrs, path);
        }
      },
    };
  }

  /** Decodes replies to `op` (any message of this family, named by its command). */
  decoder(op: YnlOp): Decoder<GenlMessage> {
    return (buf, start, length) => this.decode(buf, start, length, op);
  }

  /** A multicast message, its op found by command number. */
  decodeNotification(buf: Buffer, start: number, length: number): GenlMessage {
    return this.decode(buf, start, length, undefined);
  }

  /** Decodes a message of the family, typed by the operation it answers (or its notification). */
  decode(buf: Buffer, start: number, length: number, replyTo: YnlOp | undefined): GenlMessage {
    const end = start + length;
    const issues: DecodeIssue[] = [];
    const at = start + NLMSG_HDRLEN;
    const cmd = end - at >= 1 ? buf[at]! : 0;
    const version = end - at >= 2 ? buf[at + 1]! : 0;
    const op = replyTo && (replyTo.replyCmd ?? replyTo.cmd) === cmd ? replyTo : this.byCmd.get(cmd) ?? replyTo;
    const out: GenlMessage = { family: this.spec.name, op: op?.name ?? `cmd-${cmd}`, cmd, version, attrs: {} };
    if (end - at < this.headerSize) {
      issues.push({ path: this.spec.name, problem: `${end - at} bytes, the headers need ${this.headerSize}`, offset: at });
    } else {
      if (this.headerCodec) {
        const h = this.headerCodec.read(buf, at + GENL_HDRLEN, at + GENL_HDRLEN + this.schema.header!.size, issues, `${this.spec.name}.header`);
        if (h !== undefined) out.header = h;
      }
      const setName = op?.set ?? (op?.notify ? this.spec.ops.find((o) => o.name === op.notify)?.set : undefined);
      if (setName) out.attrs = this.schema.set(setName).decode(buf, at + this.headerSize, end, issues, `${this.spec.name}.${setName}`);
      else issues.push({ path: this.spec.name, problem: `command ${cmd} has no attribute set in the spec`, offset: at });
    }
    if (issues.length) out.issues = issues;
    return out;
  }
}
