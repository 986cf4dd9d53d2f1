// Feature names: the kernel's own (string set ETH_SS_FEATURES, e.g.
// `rx-gro`, `tx-checksum-ip-generic`) and the legacy words ethtool(8) still
// shows and takes (`tx-checksumming` / `tx` for every `tx-checksum-*`
// feature...). The table is ethtool's `off_flag_def` (common.c), whose
// patterns hold at most one `*`.
import { closest } from '../lab/shape.js';
import { EncodeError } from '../netlink/errors.js';

export interface LegacyFeature { short: string; long: string; pattern: string }

export const LEGACY_FEATURES: readonly LegacyFeature[] = [
  { short: 'rx', long: 'rx-checksumming', pattern: 'rx-checksum' },
  { short: 'tx', long: 'tx-checksumming', pattern: 'tx-checksum-*' },
  { short: 'sg', long: 'scatter-gather', pattern: 'tx-scatter-gather*' },
  { short: 'tso', long: 'tcp-segmentation-offload', pattern: 'tx-tcp*-segmentation' },
  // No kernel with the netlink interface has UFO; ethtool skips it.
  { short: 'ufo', long: 'udp-fragmentation-offload', pattern: 'tx-udp-fragmentation' },
  { short: 'gso', long: 'generic-segmentation-offload', pattern: 'tx-generic-segmentation' },
  { short: 'gro', long: 'generic-receive-offload', pattern: 'rx-gro' },
  { short: 'lro', long: 'large-receive-offload', pattern: 'rx-lro' },
  { short: 'rxvlan', long: 'rx-vlan-offload', pattern: 'rx-vlan-hw-parse' },
  { short: 'txvlan', long: 'tx-vlan-offload', pattern: 'tx-vlan-hw-insert' },
  { short: 'ntuple', long: 'ntuple-filters', pattern: 'rx-ntuple-filter' },
  { short: 'rxhash', long: 'receive-hashing', pattern: 'rx-hashing' },
];

/** ethtool's flag_pattern_match: `*` stands for any run of characters. */
export function patternMatch(name: string, pattern: string): boolean {
  const star = pattern.indexOf('*');
  if (star < 0) return name === pattern;
  const head = pattern.slice(0, star);
  const tail = pattern.slice(star + 1);
  return name.length >= head.length + tail.length && name.startsWith(head) && name.endsWith(tail);
}

/** The legacy group (its index in LEGACY_FEATURES) a kernel feature belongs to, if any. */
export function legacyGroupOf(name: string): number | undefined {
  const i = LEGACY_FEATURES.findIndex((d) => patternMatch(name, d.pattern));
  return i < 0 ? undefined : i;
}

/**
 * The feature indexes a word names: a kernel feature name, or a legacy short
 * or long name (all its features). Throws with the closest names otherwise.
 */
export function resolveFeature(word: string, names: readonly string[], dev: string): number[] {
  const exact = names.indexOf(word);
  if (word !== '' && exact >= 0) return [exact];
  const legacy = LEGACY_FEATURES.find((d) => d.short === word || d.long === word);
  if (legacy) {
    const all = names.flatMap((n, i) => (n !== '' && patternMatch(n, legacy.pattern) ? [i] : []));
    if (all.length) return all;
    throw new FeatureNameError(word, dev, `${dev} has no feature "${word}" stands for (${legacy.pattern})`);
  }
  const known = [...names.filter((n) => n !== ''), ...LEGACY_FEATURES.flatMap((d) => [d.short, d.long])];
  const near = closeNames(word, known);
  throw new FeatureNameError(word, dev, `${dev} has no feature "${word}"${near.length ? ` (close: ${near.join(', ')})` : ''}`);
}

/** Up to five known names close to the word: the nearest by edit distance, then those sharing its parts. */
export function closeNames(word: string, known: readonly string[]): string[] {
  const out: string[] = [];
  const best = closest(word, known);
  if (best !== undefined) out.push(best);
  const parts = word.split(/[-_]/).filter((p) => p.length >= 3);
  for (const k of known) {
    if (out.length >= 5) break;
    if (!out.includes(k) && (k.includes(word) || (parts.length > 0 && parts.every((p) => k.includes(p))))) out.push(k);
  }
  return out;
}

/** A feature name the device does not know: the word as given, and why. */
export class FeatureNameError extends EncodeError {
  constructor(readonly feature: string, readonly dev: string, message: string) {
    super('feature', message);
    this.name = 'FeatureNameError';
  }
}
