// Ownership: how a lab's objects are named on the system, so that they are
// recognizably its own and down() removes them and nothing else.
//
//  - a namespace is `<prefix><name>` (prefix default `<lab name>-`);
//  - a link inside a lab namespace keeps its name: the namespace is the lab's,
//    and everything in it goes when the namespace goes;
//  - a link in the root namespace is `<prefix><name>` and carries the alias
//    `netlink-ts lab <lab name>`; down() deletes a root link only when both
//    its name and its alias say it is the lab's;
//  - the backend keeps a record of what up() is about to create (written
//    before the first change), so a later down() — another process, an edited
//    description — still finds it.

/** The namespace the lab names `null`: the one the process runs in. */
export type NsKey = string | null;

/** Letters, digits, '_', '.', '-': safe in file names, shells, DOT and Mermaid ids. */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
/** A file name under /run/netns is at most NAME_MAX (255) bytes. */
export { NAME_MAX as NETNS_NAME_MAX } from '../netns/names.js';

export function defaultPrefix(labName: string): string {
  return `${labName}-`;
}

/**
 * The names a lab gives its objects on the system: prefixed namespaces and root-namespace links, and the alias that marks them.
 */
export class LabNames {
  constructor(readonly lab: string, readonly prefix: string) {}

  /** The name of a lab namespace on the system. */
  namespace(ns: string): string {
    return this.prefix + ns;
  }

  /** The system name of a namespace key: null stays null (root). */
  ns(ns: NsKey): NsKey {
    return ns === null ? null : this.namespace(ns);
  }

  /** The system name of a link: prefixed in the root namespace only. */
  link(ns: NsKey, name: string): string {
    return ns === null ? this.prefix + name : name;
  }

  /** The alias every root-namespace link of the lab carries. */
  get alias(): string {
    return `netlink-ts lab ${this.lab}`;
  }
}

/** How people read a namespace key. */
export function nsLabel(ns: NsKey): string {
  return ns ?? '(root)';
}
