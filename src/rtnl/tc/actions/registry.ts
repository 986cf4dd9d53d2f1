// The action kinds this version models. Adding one is a module plus one line
// here; others travel as raw bytes.
import { gact } from './gact.js';
import { mirred } from './mirred.js';
import { skbedit } from './skbedit.js';
import { vlan } from './vlan.js';
import { csum } from './csum.js';
import { connmark } from './connmark.js';
import { sample } from './sample.js';
import { tunnelKey } from './tunnel-key.js';
import { police } from './police.js';
import { ct } from './ct.js';

/** The action kinds this version knows (mirred, gact): each kind's options, words and printer. */
export const actionKinds = {
  mirred,
  gact,
  skbedit,
  vlan,
  csum,
  connmark,
  sample,
  tunnel_key: tunnelKey,
  police,
  ct,
} as const;

/** The action registry's type: each known kind's module, by kind name. */
export type ActionKinds = typeof actionKinds;
/** An action kind this version has a schema for. */
export type KnownActionKind = keyof ActionKinds;
