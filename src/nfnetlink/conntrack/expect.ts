// Conntrack expectations (subsystem NFNL_SUBSYS_CTNETLINK_EXP): the
// connections a helper (ftp, sip...) expects to follow a master connection.
// Read only here (`conntrack -L expect`).
import type { DecodeIssue } from '../../netlink/errors.js';
import type { RawAttr } from '../../netlink/schema.js';
import type { Decoder } from '../../netlink/request.js';
import { type ConntrackTuple, tupleOf } from './entry.js';
import { type ConntrackFamily, familyName } from './names.js';
import { expectMessage } from './schema.js';

/** An expectation: a connection a helper expects (the data connection of FTP, say). */
export interface ConntrackExpect {
  family: ConntrackFamily | number;
  /** The connection that expects this one. */
  master: ConntrackTuple;
  /** What the expected connection looks like, and which of its fields must match (mask). */
  tuple: ConntrackTuple;
  mask: ConntrackTuple;
  /** Seconds left. */
  timeout?: number;
  id?: number;
  helper?: string;
  zone?: number;
  /** NF_CT_EXPECT_* bits. */
  flags?: number;
  class?: number;
  fn?: string;
  unknown?: RawAttr[];
  issues?: DecodeIssue[];
}

export const decodeExpect: Decoder<ConntrackExpect> = (buf, start, length) => {
  const m = expectMessage.decodeMessage(buf, start, length);
  const e: ConntrackExpect = { family: familyName(m.family), master: tupleOf(m.master), tuple: tupleOf(m.tuple), mask: tupleOf(m.mask) };
  if (m.timeout !== undefined) e.timeout = m.timeout;
  if (m.id !== undefined) e.id = m.id;
  if (m.helpName !== undefined) e.helper = m.helpName;
  if (m.zone !== undefined) e.zone = m.zone;
  if (m.flags !== undefined) e.flags = m.flags;
  if (m.class !== undefined) e.class = m.class;
  if (m.fn !== undefined) e.fn = m.fn;
  if (m.unknown) e.unknown = m.unknown;
  if (m.issues) e.issues = m.issues;
  return e;
};
