// Requests whose payload is one message of a schema, and the early check
// that encodes a message once so that what only the encoder verifies (a
// weight, a u8) fails when the request is built, not when it is sent.
import { NetlinkWriter } from '../netlink/writer.js';
import type { Request } from '../netlink/request.js';

/** What these helpers need of a MessageSchema. */
export interface MessageEncoder<M> {
  readonly name: string;
  readonly headerSize: number;
  encodePayload(w: NetlinkWriter, value: M, path?: string): void;
}

export function schemaRequest<M>(schema: MessageEncoder<M>, type: number, flags: number, msg: M, operation: string, expectReply = false): Request {
  return {
    type, flags, operation, expectReply, headerSize: schema.headerSize,
    body: (w) => schema.encodePayload(w, msg, schema.name),
  };
}

const scratch = new NetlinkWriter();

/** Encodes a request's payload once and drops the bytes; returns it unchanged (an EncodeError now for bad input). */
export function checkedRequest(req: Request): Request {
  scratch.reset();
  req.body?.(scratch);
  return req;
}

/** Encodes the message once and drops the bytes; returns it unchanged. */
export function checked<M>(schema: MessageEncoder<M>, msg: M): M {
  scratch.reset();
  schema.encodePayload(scratch, msg, schema.name);
  return msg;
}
