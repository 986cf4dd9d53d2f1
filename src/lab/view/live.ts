// The live state of a running lab for `lab view`: every link of the lab's
// namespaces with its state and rate. A link monitor in each namespace says at
// once when a link goes up or down; a stats dump every `intervalMs` gives the
// byte counters the rates come from (the kernel sends no event for counters).
import { Rtnl } from '../../client.js';
import type { Link } from '../../rtnl/link.js';
import type { Lab } from '../lab.js';

export interface LiveLink {
  /** The namespace's system name. */
  ns: string;
  name: string;
  kind?: string;
  /** Administratively up (IFF_UP). */
  up: boolean;
  /** The kernel's operational state ('up', 'down', 'lowerlayerdown'...). */
  operstate?: string;
  rxBytes: number;
  txBytes: number;
  /** Bits per second over the last interval (0 before the second reading). */
  rxBps: number;
  txBps: number;
}

export interface LiveState {
  lab: string;
  at: number;
  links: LiveLink[];
}

export class LiveLabState {
  private readonly clients = new Map<string, Rtnl>();
  private readonly links = new Map<string, LiveLink & { seenAt: number }>();
  private readonly stop = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<(s: LiveState) => void>();

  private constructor(readonly lab: Lab, private readonly intervalMs: number) {}

  /** Opens a client and a link monitor in each of the lab's namespaces that exists, and starts the stats dumps. */
  static async start(lab: Lab, intervalMs = 1000): Promise<LiveLabState> {
    const live = new LiveLabState(lab, intervalMs);
    const present = new Set(await lab.backend.listNamespaces());
    for (const spec of lab.description.namespaces) {
      const ns = lab.names.namespace(spec.name);
      if (!present.has(ns)) continue;
      const nl = Rtnl.openSync({ netns: ns });
      live.clients.set(ns, nl);
      void live.watch(ns, nl);
    }
    await live.poll();
    live.timer = setInterval(() => void live.poll(), intervalMs);
    return live;
  }

  /** The namespaces being watched (system names). */
  get namespaces(): string[] {
    return [...this.clients.keys()];
  }

  client(ns: string): Rtnl | undefined {
    return this.clients.get(ns);
  }

  onChange(fn: (s: LiveState) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  snapshot(): LiveState {
    return { lab: this.lab.name, at: Date.now(), links: [...this.links.values()].map(({ seenAt: _t, ...l }) => l) };
  }

  private emit(): void {
    const s = this.snapshot();
    for (const fn of this.listeners) fn(s);
  }

  private update(ns: string, l: Link, now: number, counters: boolean): void {
    if (l.name === undefined) return;
    const key = `${ns}/${l.name}`;
    const was = this.links.get(key);
    const rx = Number(l.stats64?.rx_bytes ?? was?.rxBytes ?? 0);
    const tx = Number(l.stats64?.tx_bytes ?? was?.txBytes ?? 0);
    const dt = was ? (now - was.seenAt) / 1000 : 0;
    const entry: LiveLink & { seenAt: number } = {
      ns, name: l.name, up: Array.isArray(l.flags) && l.flags.includes('up'),
      rxBytes: rx, txBytes: tx,
      rxBps: counters && was && dt > 0 ? Math.max(0, ((rx - was.rxBytes) * 8) / dt) : was?.rxBps ?? 0,
      txBps: counters && was && dt > 0 ? Math.max(0, ((tx - was.txBytes) * 8) / dt) : was?.txBps ?? 0,
      seenAt: counters || !was ? now : was.seenAt,
    };
    if (l.linkinfo?.kind !== undefined) entry.kind = l.linkinfo.kind;
    if (l.operstate !== undefined) entry.operstate = String(l.operstate);
    this.links.set(key, entry);
  }

  /** One stats dump per namespace. */
  private async poll(): Promise<void> {
    const now = Date.now();
    for (const [ns, nl] of this.clients) {
      let list: Link[];
      try {
        list = await nl.link.list();
      } catch {
        continue; // the namespace went away (lab down): its links stay as last seen
      }
      const names = new Set(list.map((l) => `${ns}/${l.name}`));
      for (const key of [...this.links.keys()]) if (key.startsWith(`${ns}/`) && !names.has(key)) this.links.delete(key);
      for (const l of list) this.update(ns, l, now, true);
    }
    this.emit();
  }

  private async watch(ns: string, nl: Rtnl): Promise<void> {
    try {
      for await (const ev of nl.monitor({ groups: ['link'], signal: this.stop.signal })) {
        if (ev.kind !== 'link') continue;
        if (ev.action === 'del' && ev.object.name !== undefined) this.links.delete(`${ns}/${ev.object.name}`);
        else if (ev.action === 'new') this.update(ns, ev.object, Date.now(), false);
        this.emit();
      }
    } catch {
      // the monitor ends with its namespace or with close()
    }
  }

  close(): void {
    clearInterval(this.timer);
    this.stop.abort();
    for (const nl of this.clients.values()) nl.close();
    this.clients.clear();
    this.listeners.clear();
  }
}
