// What the qdisc, class and filter verbs share: the input with its device by
// name, the device's speed, and the kernel's "unknown kind" refusals made to
// say which kind is missing.
import { readFileSync } from 'node:fs';
import { NetlinkError } from '../netlink/errors.js';
import { checkIfname } from '../rtnl/codecs.js';
import type { LinkRef } from '../rtnl/route-input.js';

/** Omit applied to each member of a union on its own. */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A request spec with its device given by name or index instead of `ifindex`. */
export type WithDev<S> = DistributiveOmit<S, 'ifindex'> & { dev: LinkRef };

/** The device's speed as tc reads it (sysfs of the namespace that mounted /sys). */
export function readSpeed(name: string): number {
  try {
    // The name came from the kernel: one path component or nothing is read.
    const n = Number(readFileSync(`/sys/class/net/${checkIfname(name, 'dev')}/speed`, 'utf8').trim());
    return Number.isFinite(n) && n > 0 ? n : 0;
  } catch {
    return 0;
  }
}

const MISSING: readonly [RegExp, string, string][] = [
  [/qdisc kind is unknown/i, 'qdisc', 'sch_'],
  [/classifier not found/i, 'classifier', 'cls_'],
  [/action module/i, 'action', 'act_'],
];

/**
 * Makes the kernel's refusal of a kind it does not have name that kind:
 * "this kernel has no qdisc "netem" (module sch_netem)". Other errors are
 * returned unchanged.
 */
export function explainMissingKind<E>(err: E, kinds: { qdisc?: string; classifier?: string; actions?: readonly string[] }): E | NetlinkError {
  if (!(err instanceof NetlinkError)) return err;
  const text = err.extack?.message ?? '';
  for (const [re, what, prefix] of MISSING) {
    if (!re.test(text)) continue;
    const names = what === 'action' ? [...(kinds.actions ?? [])] : [what === 'qdisc' ? kinds.qdisc : kinds.classifier].filter((x): x is string => !!x);
    if (!names.length) return err;
    const list = names.map((n) => `"${n}" (module ${prefix}${n})`).join(' or ');
    return new NetlinkError({
      errno: err.errno, operation: err.operation, seq: err.seq, extack: err.extack,
      detail: `this kernel has no ${what} ${list}`,
    });
  }
  return err;
}

/** ENOENT on a class or filter change: the parent it names is not there. */
export function explainMissingParent<E>(err: E, parent: unknown): E | NetlinkError {
  if (!(err instanceof NetlinkError) || err.code !== 'ENOENT' || err.extack?.message || parent === undefined) return err;
  return new NetlinkError({
    errno: err.errno, operation: err.operation, seq: err.seq, extack: err.extack,
    detail: `there is no qdisc or class ${String(parent)} on this device`,
  });
}
