// Waiting for state the kernel settles on its own time: a link's operstate
// and RUNNING flag (so ip's NO-CARRIER) follow carrier and admin changes
// through the kernel's linkwatch work, IPv6 addresses stay tentative until
// duplicate address detection ends, counters move while packets are in
// flight. A test that compares such state waits for the condition, with a
// bound, never for a fixed time.
import { ipJson } from './sh.js';

/**
 * Polls `cond` until it returns something truthy and returns that; after
 * timeoutMs throws, naming `what` and the last value seen.
 */
export async function waitFor<T>(cond: () => T | Promise<T>, opts: { timeoutMs?: number; what?: string } = {}): Promise<Exclude<T, undefined | null | false>> {
  const timeoutMs = opts.timeoutMs ?? 5000;
  const deadline = Date.now() + timeoutMs;
  for (let pause = 5; ; pause = Math.min(pause * 2, 100)) {
    const v = await cond();
    if (v) return v as Exclude<T, undefined | null | false>;
    if (Date.now() >= deadline) throw new Error(`waited ${timeoutMs} ms for ${opts.what ?? 'a condition'}; last seen: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, pause));
  }
}

/** What `ip -j link show` says of a link, as far as settling goes. */
export interface IpLinkState {
  ifname: string;
  flags: string[];
  operstate?: string;
  link?: string;
  link_index?: number;
  link_netnsid?: number;
}

/**
 * Whether the kernel has finished with this link's last admin or carrier
 * change: its operstate (and with it RUNNING, whose absence ip shows as
 * NO-CARRIER) agrees with its flags. Down: operstate DOWN. Up with carrier
 * (LOWER_UP): running, so no NO-CARRIER and an operstate that is not DOWN.
 * Up without carrier: LOWERLAYERDOWN when it sits on another link (a veth,
 * a macvlan), else DOWN.
 */
export function linkSettled(l: IpLinkState): boolean {
  if (!l.flags.includes('UP')) return l.operstate === 'DOWN';
  if (l.flags.includes('LOWER_UP')) return !l.flags.includes('NO-CARRIER') && l.operstate !== 'DOWN' && l.operstate !== 'LOWERLAYERDOWN';
  const onAnother = l.link !== undefined || l.link_index !== undefined || l.link_netnsid !== undefined;
  return l.operstate === (onAnother ? 'LOWERLAYERDOWN' : 'DOWN');
}

/** Waits until every link (of namespace ns, those `pick` selects) has settled; returns them. */
export function waitForLinksSettled(opts: { ns?: string; pick?: (l: IpLinkState) => boolean; timeoutMs?: number } = {}): Promise<IpLinkState[]> {
  const pick = opts.pick ?? (() => true);
  return waitFor(() => {
    const links = ipJson<IpLinkState[]>(...(opts.ns ? ['-n', opts.ns] : []), 'link', 'show').filter(pick);
    return links.every(linkSettled) ? links : undefined;
  }, { timeoutMs: opts.timeoutMs, what: `the links${opts.ns ? ` of ${opts.ns}` : ''} to settle (operstate agreeing with the flags)` });
}

/** Waits until no address on these devices is tentative (IPv6 duplicate address detection has ended). */
export function waitForNoTentative(devs: readonly string[], timeoutMs = 10_000): Promise<true> {
  return waitFor(() => {
    const rows = ipJson<{ ifname: string; addr_info: { tentative?: boolean }[] }[]>('address', 'show');
    return rows.filter((r) => devs.includes(r.ifname)).every((r) => r.addr_info.every((a) => !a.tentative)) || undefined;
  }, { timeoutMs, what: `duplicate address detection to end on ${devs.join(', ')}` });
}
