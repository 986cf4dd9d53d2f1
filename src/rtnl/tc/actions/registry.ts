// The action kinds this version models. Adding one is a module plus one line
// here; others travel as raw bytes.
import { gact } from './gact.js';
import { mirred } from './mirred.js';

/** The action kinds this version knows (mirred, gact): each kind's options, words and printer. */
export const actionKinds = {
  mirred,
  gact,
} as const;

export type ActionKinds = typeof actionKinds;
export type KnownActionKind = keyof ActionKinds;
