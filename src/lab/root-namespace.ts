// `rootNamespace`: a lab namespace that stands for the root namespace. The
// tutorial puts its bridge "in the root namespace"; a lab that names a
// stand-in gets the same topology without touching the host: every bridge,
// veth end and tap the description leaves without a namespace is placed in
// the stand-in, which the lab creates and removes like any of its namespaces
// (docs/lab.md, "The host is left alone").
import type { LabDescription } from './description.js';
import { type Reader, didYouMean } from './shape.js';

/**
 * Reads `rootNamespace` and places what has no namespace in it. Ends on a
 * bridge keep going where their bridge goes, so they are left as they are.
 */
export function placeRootNamespace(r: Reader, value: unknown, draft: LabDescription): void {
  const name = r.string(value, 'rootNamespace');
  if (name === undefined) return;
  const known = draft.namespaces.map((n) => n.name);
  if (!known.includes(name)) {
    r.report('rootNamespace', `unknown namespace "${name}"${didYouMean(name, known)}: it must be one of the lab's namespaces, the one that stands for the root namespace`);
    return;
  }
  draft.rootNamespace = name;
  for (const b of draft.bridges ?? []) b.namespace ??= name;
  for (const e of [...(draft.veths ?? []).flatMap((v) => [v.a, v.b]), ...(draft.taps ?? [])]) {
    if (e && e.namespace === undefined && e.bridge === undefined) e.namespace = name;
  }
}
