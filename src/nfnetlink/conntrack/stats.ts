// Conntrack statistics: per CPU (IPCTNL_MSG_CT_GET_STATS_CPU, a dump with
// one message per CPU, the CPU number in res_id; `conntrack -S`) and the
// table's size (IPCTNL_MSG_CT_GET_STATS; `conntrack -C`).
import type { DecodeIssue } from '../../netlink/errors.js';
import type { Decoder } from '../../netlink/request.js';
import { cpuStatsMessage, globalStatsMessage } from './schema.js';

/** conntrack's counters of one CPU (`conntrack -S`). */
export interface ConntrackCpuStats {
  cpu: number;
  searched?: number;
  found?: number;
  new?: number;
  invalid?: number;
  ignore?: number;
  delete?: number;
  deleteList?: number;
  insert?: number;
  insertFailed?: number;
  drop?: number;
  earlyDrop?: number;
  error?: number;
  searchRestart?: number;
  clashResolve?: number;
  chainTooLong?: number;
  issues?: DecodeIssue[];
}

/** How many connections are tracked, and the table's limit. */
export interface ConntrackCount {
  entries: number;
  maxEntries?: number;
}

export const decodeCpuStats: Decoder<ConntrackCpuStats> = (buf, start, length) => {
  const { family: _f, version: _v, resId, unknown: _u, ...rest } = cpuStatsMessage.decodeMessage(buf, start, length);
  return { cpu: resId, ...rest };
};

export const decodeCount: Decoder<ConntrackCount> = (buf, start, length) => {
  const m = globalStatsMessage.decodeMessage(buf, start, length);
  const c: ConntrackCount = { entries: m.entries ?? 0 };
  if (m.maxEntries !== undefined) c.maxEntries = m.maxEntries;
  return c;
};
