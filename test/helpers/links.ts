// Reading and removing links with iproute2 in kernel tests.
import { ip, ipJson } from './sh.js';

export type IpInfo = { info_kind?: string; info_data?: Record<string, unknown>; info_slave_kind?: string; info_slave_data?: Record<string, unknown> };
export type IpLink = Record<string, unknown> & { ifname: string; ifindex: number; flags: string[]; linkinfo?: IpInfo };

/** `ip -d -j link show dev NAME` (in namespace ns when given). */
export const ipLink = (name: string, ns?: string): IpLink => ipJson<IpLink[]>(...(ns ? ['-n', ns] : []), '-d', 'link', 'show', 'dev', name)[0]!;

export const linkExists = (name: string): boolean => ipJson<IpLink[]>('link', 'show').some((l) => l.ifname === name);

/** Deletes the links that still exist (a veth end takes its peer along). */
export function deleteLinks(...names: string[]): void {
  for (const n of names) if (linkExists(n)) ip('link', 'del', n);
}
