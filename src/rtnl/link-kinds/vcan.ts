// vcan: a virtual CAN bus interface (frames sent come back to local readers).
// It has no options of its own; `ip link add NAME type vcan`.
import { linkKind } from './kind.js';

export const vcan = linkKind('vcan', { words: null, json: null });
