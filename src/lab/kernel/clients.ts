// One rtnetlink client per namespace, opened on first use and kept for the
// rest of one lab operation. A socket holds its namespace alive: a client is
// closed before its namespace is deleted, and all of them when the operation
// ends (release), so that nothing the lab removed lingers behind our back.
import { Rtnl } from '../../client.js';
import type { NsKey } from '../names.js';

export class NamespaceClients {
  private readonly open = new Map<NsKey, Rtnl>();

  /** The client of a namespace (null: the one this process runs in). */
  async get(ns: NsKey): Promise<Rtnl> {
    let nl = this.open.get(ns);
    if (nl && !nl.socket.closed) return nl;
    nl = await Rtnl.open(ns === null ? {} : { netns: ns });
    this.open.set(ns, nl);
    return nl;
  }

  /** Closes the client of one namespace, if there is one. */
  close(ns: NsKey): void {
    this.open.get(ns)?.close();
    this.open.delete(ns);
  }

  closeAll(): void {
    for (const nl of this.open.values()) nl.close();
    this.open.clear();
  }
}
