// `netlink-ts mptcp { endpoint | limits | monitor }`, as `ip mptcp`
// (iproute2 6.1, ip/ipmptcp.c) takes and prints it.
import type { Rtnl } from '../../client.js';
import { MPTCP_ENDPOINT_FLAGS, MptcpApi, type MptcpEndpoint, type MptcpEndpointFlag, type MptcpEndpointInput, type MptcpEvent } from '../../mptcp/client.js';
import { formatIPv4Number, formatIPv6 } from '../../netlink/ip.js';
import { type GlobalOptions, UsageError, matches } from '../args.js';
import type { Output } from '../output.js';
import { OBJECTS } from '../help.js';

const USAGE = OBJECTS.find((o) => o.names[0] === 'mptcp')!.usage;

export function endpointText(e: MptcpEndpoint, dev: string | undefined): string {
  let s = `${e.address} `;
  if (e.port) s += `port ${e.port} `;
  s += `id ${e.id} `;
  for (const f of e.flags) s += `${f} `;
  if (e.otherFlags) s += `rawflags ${e.otherFlags.toString(16).padStart(2, '0')} `;
  if (dev !== undefined) s += `dev ${dev} `;
  return s;
}

export function endpointJson(e: MptcpEndpoint, dev: string | undefined): Record<string, unknown> {
  const o: Record<string, unknown> = { address: e.address };
  if (e.port) o.port = e.port;
  o.id = e.id;
  for (const f of e.flags) o[f] = true;
  if (e.otherFlags) o.rawflags = e.otherFlags.toString(16).padStart(2, '0');
  if (dev !== undefined) o.dev = dev;
  return o;
}

// ip 6.1 names these events; the listener ones came later, and it prints those as UNKNOWN.
const EVENT_WORDS: Record<number, string> = {
  1: 'CREATED', 2: 'ESTABLISHED', 3: 'CLOSED', 6: 'ANNOUNCED', 7: 'REMOVED', 10: 'SF_ESTABLISHED', 11: 'SF_CLOSED', 13: 'SF_PRIO',
};

/** One line of `ip mptcp monitor`. */
export function mptcpEventText(ev: MptcpEvent): string {
  const word = EVENT_WORDS[ev.type];
  if (word === undefined) return `[UNKNOWN ${ev.type}]`;
  const a = ev.attrs;
  let s = `[${word.padStart(14)}]`;
  if (a.token !== undefined) s += ` token=${a.token.toString(16).padStart(8, '0')}`;
  if (a['rem-id'] !== undefined) s += ` remid=${a['rem-id']}`;
  if (a['loc-id'] !== undefined) s += ` locid=${a['loc-id']}`;
  if (a.saddr4 !== undefined) s += ` saddr4=${formatIPv4Number(a.saddr4)}`;
  if (a.daddr4 !== undefined) s += ` daddr4=${formatIPv4Number(a.daddr4)}`;
  if (a.saddr6 !== undefined && a.saddr6.length >= 16) s += ` saddr6=${formatIPv6(a.saddr6)}`;
  if (a.daddr6 !== undefined && a.daddr6.length >= 16) s += ` daddr6=${formatIPv6(a.daddr6)}`;
  if (a.sport !== undefined) s += ` sport=${a.sport}`;
  if (a.dport !== undefined) s += ` dport=${a.dport}`;
  if (a.backup !== undefined) s += ` backup=${a.backup}`;
  if (a.error !== undefined) s += ` error=${a.error}`;
  if (a.flags !== undefined) s += ` flags=${a.flags.toString(16)}`;
  if (a.timeout !== undefined) s += ` timeout=${a.timeout}`;
  if (a['if-idx'] !== undefined) s += ` ifindex=${a['if-idx']}`;
  if (a['reset-reason'] !== undefined) s += ` reset_reason=${a['reset-reason']}`;
  if (a['reset-flags'] !== undefined) s += ` reset_flags=0x${a['reset-flags'].toString(16)}`;
  return s;
}

function int(word: string, v: string | undefined, max: number): number {
  const n = v !== undefined && /^\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n > max) throw new UsageError(`Error: argument "${v ?? ''}" is wrong: invalid ${word}`);
  return n;
}

async function endpoint(nl: Rtnl, api: MptcpApi, words: string[], opts: GlobalOptions, out: Output): Promise<void> {
  const [verb = 'show', ...rest] = words;
  const names = async (): Promise<Map<number, string>> => new Map((await nl.link.list()).map((l) => [l.index, l.name ?? '']));
  if (matches(verb, 'show') || matches(verb, 'list')) {
    let id: number | undefined;
    for (let i = 0; i < rest.length; i++) {
      if (rest[i] === 'id') id = int('id', rest[++i], 255);
      else throw new UsageError(`mptcp endpoint show: unexpected "${rest[i]}"\n${USAGE}`);
    }
    const list = id === undefined ? await api.endpoints() : [await api.endpoint(id)];
    const byIndex = list.some((e) => e.ifindex) ? await names() : new Map<number, string>();
    const dev = (e: MptcpEndpoint): string | undefined => (e.ifindex ? byIndex.get(e.ifindex) : undefined);
    if (opts.json) out.json(list.map((e) => endpointJson(e, dev(e))));
    else for (const e of list) out.line(endpointText(e, dev(e)));
    return;
  }
  if (matches(verb, 'flush')) { await api.flushEndpoints(); return; }
  let address: string | undefined;
  let id: number | undefined;
  let port: number | undefined;
  let dev: string | undefined;
  const flags: MptcpEndpointFlag[] = [];
  const change: { backup?: boolean; fullmesh?: boolean } = {};
  for (let i = 0; i < rest.length; i++) {
    const w = rest[i]!;
    if (w === 'id') id = int('id', rest[++i], 255);
    else if (w === 'port') port = int('port', rest[++i], 0xffff);
    else if (w === 'dev') dev = rest[++i];
    else if ((MPTCP_ENDPOINT_FLAGS as readonly string[]).includes(w) && w !== 'implicit') flags.push(w as MptcpEndpointFlag);
    else if (w === 'nobackup' || w === 'nofullmesh') change[w.slice(2) as 'backup' | 'fullmesh'] = false;
    else if (address === undefined) address = w;
    else throw new UsageError(`mptcp endpoint ${verb}: unexpected "${w}"\n${USAGE}`);
  }
  if (matches(verb, 'add')) {
    if (address === undefined) throw new UsageError('mptcp endpoint add: an address is needed');
    const input: MptcpEndpointInput = { address, flags };
    if (id !== undefined) input.id = id;
    if (port !== undefined) input.port = port;
    if (dev !== undefined) input.ifindex = await nl.ifindex(dev);
    await api.addEndpoint(input);
    return;
  }
  if (matches(verb, 'delete')) {
    if (id === undefined) throw new UsageError('mptcp endpoint delete: id is needed');
    await api.deleteEndpoint(id, address);
    return;
  }
  if (matches(verb, 'change')) {
    if (id === undefined) throw new UsageError('mptcp endpoint change: id is needed');
    for (const f of flags) if (f === 'backup' || f === 'fullmesh') change[f] = true;
    await api.changeEndpoint(id, change);
    return;
  }
  throw new UsageError(`Command "${verb}" is unknown, try "netlink-ts mptcp help".`);
}

export async function mptcpCommand(nl: Rtnl, words: string[], opts: GlobalOptions, out: Output, signal?: AbortSignal): Promise<void> {
  const [object = '', ...rest] = words;
  using api = MptcpApi.open(opts.netns !== undefined ? { netns: opts.netns } : {});
  if (matches(object, 'endpoint')) return await endpoint(nl, api, rest, opts, out);
  if (matches(object, 'limits')) {
    const [verb = 'show', ...args] = rest;
    if (matches(verb, 'show')) {
      const l = await api.limits();
      if (opts.json) out.json({ ...(l.addAddrAccepted !== undefined ? { add_addr_accepted: l.addAddrAccepted } : {}), ...(l.subflows !== undefined ? { subflows: l.subflows } : {}) });
      else out.line(`${l.addAddrAccepted !== undefined ? `add_addr_accepted ${l.addAddrAccepted} ` : ''}${l.subflows !== undefined ? `subflows ${l.subflows} ` : ''}`);
      return;
    }
    if (matches(verb, 'set')) {
      const l: { subflows?: number; addAddrAccepted?: number } = {};
      for (let i = 0; i < args.length; i++) {
        if (args[i] === 'subflows') l.subflows = int('subflows', args[++i], 0xffffffff);
        else if (args[i] === 'add_addr_accepted') l.addAddrAccepted = int('add_addr_accepted', args[++i], 0xffffffff);
        else throw new UsageError(`mptcp limits set: unexpected "${args[i]}"\n${USAGE}`);
      }
      await api.setLimits(l);
      return;
    }
    throw new UsageError(`Command "${verb}" is unknown, try "netlink-ts mptcp help".`);
  }
  if (matches(object, 'monitor')) {
    await api.subscribe();
    for await (const ev of api.events(signal ? { signal } : {})) {
      if (ev.kind === 'message') out.line(opts.json ? JSON.stringify({ event: ev.value.name, ...ev.value.attrs }) : mptcpEventText(ev.value));
    }
    return;
  }
  throw new UsageError(`Object "${object}" is unknown, try "netlink-ts mptcp help".`);
}
