// The netlink-ts side of the bench's batched phases, written once: the bench
// runs each in its own process (warm, after the first repeat) and, through
// fresh-phase.ts, as a fresh process per sample, as `ip -batch` runs.
// Only types come from src/ here: a fresh process loads the bundled package.
import type { Rtnl } from '../src/client.js';
import type * as Lib from '../src/index.js';

export const ROUTE_DEV = 'nlts-r0';
export const ADDR_DEV = 'nlts-a0';
export const TC_DEV = 'nlts-t0';

/** The i-th address of the bench: 198.18.0.0/15 upwards, each a /32. */
export const hostAddr = (i: number): string => `198.${18 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}/32`;
export const classid = (i: number): string => `1:${(i + 1).toString(16)}`;
export const nsName = (i: number): string => `nlts-ns${i}`;

const htbRoot = { dev: TC_DEV, parent: 'root', handle: '1:', kind: 'htb' as const, options: {} };
const htbClass = (i: number) => ({ dev: TC_DEV, parent: '1:', classid: classid(i), kind: 'htb' as const, options: { rate: '1mbit' } });

async function commit(b: ReturnType<Rtnl['batch']>): Promise<void> {
  const r = await b.commit();
  if (r.errors.length) throw r.errors[0]!.error;
}

type Phase = (nl: Rtnl, n: number, lib: { netns: typeof Lib.netns; ConntrackApi: typeof Lib.ConntrackApi }) => Promise<unknown>;

/** Phases by name: `npm run bench` labels their rows "netlink-ts (batch)" and "(batch, fresh process)". */
export const PHASES: Record<string, Phase> = {
  'routes-add': async (nl, n) => {
    const b = nl.batch();
    for (let i = 0; i < n; i++) b.route.add({ dst: hostAddr(i), dev: ROUTE_DEV });
    await commit(b);
  },
  'routes-dump': (nl) => nl.route.list({ table: 'main' }),
  /** Each route decoded and let go, as the C client does: no table of 100,000 objects held. */
  'routes-stream': async (nl) => { let k = 0; for await (const _ of nl.route.stream({ table: 'main' })) k++; return k; },
  'routes-flush': (nl) => nl.route.flush({ dev: ROUTE_DEV }),
  'addrs-add': async (nl, n) => {
    const b = nl.batch();
    for (let i = 0; i < n; i++) b.addr.add({ dev: ADDR_DEV, address: hostAddr(i) });
    await commit(b);
  },
  'addrs-dump': (nl) => nl.addr.list({ dev: ADDR_DEV }),
  'addrs-del': async (nl, n) => {
    const b = nl.batch();
    for (let i = 0; i < n; i++) b.addr.del({ dev: ADDR_DEV, address: hostAddr(i) });
    await commit(b);
  },
  'classes-add': async (nl, n) => {
    const b = nl.batch();
    b.qdisc.add(htbRoot);
    for (let i = 0; i < n; i++) b.class.add(htbClass(i));
    await commit(b);
  },
  'classes-dump': (nl) => nl.class.list({ dev: TC_DEV }),
  'classes-clear': (nl) => nl.qdisc.delete({ dev: TC_DEV, parent: 'root' }),
  'links-list': (nl) => nl.link.list(),
  'classes-del': async (nl, n) => {
    const b = nl.batch();
    for (let i = 0; i < n; i++) b.class.delete({ dev: TC_DEV, classid: classid(i) });
    b.qdisc.delete({ dev: TC_DEV, parent: 'root' });
    await commit(b);
  },
  'netns-add': async (_nl, n, { netns }) => { for (let i = 0; i < n; i++) netns.add(nsName(i)); },
  'netns-del': async (_nl, n, { netns }) => { for (let i = 0; i < n; i++) netns.remove(nsName(i)); },
  'conntrack-list': async (_nl, _n, { ConntrackApi }) => { const ct = ConntrackApi.open(); try { return (await ct.list()).length; } finally { ct.close(); } },
  'conntrack-stream': async (_nl, _n, { ConntrackApi }) => {
    const ct = ConntrackApi.open();
    try { let k = 0; for await (const _ of ct.stream()) k++; return k; } finally { ct.close(); }
  },
};
