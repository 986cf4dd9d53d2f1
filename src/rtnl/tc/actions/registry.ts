// The action kinds this version models. Adding one is a module plus one line
// here; others travel as raw bytes.
import { gact } from './gact.js';
import { mirred } from './mirred.js';

/** The action kinds this version knows (mirred, gact): each kind's options, words and printer. */
export const actionKinds = {
  mirred,
  gact,
} as const;

/** The action registry's type: each known kind's module, by kind name. */
export type ActionKinds = typeof actionKinds;
/** An action kind this version has a schema for. */
export type KnownActionKind = keyof ActionKinds;
