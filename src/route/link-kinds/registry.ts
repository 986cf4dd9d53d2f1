// The link kinds this version models, one module each. Adding a kind is one
// module plus one line here; nothing registers itself on import.
import { veth } from './veth.js';

export const linkKinds = {
  veth,
} as const;

export type LinkKinds = typeof linkKinds;
export type KnownLinkKind = keyof LinkKinds;
