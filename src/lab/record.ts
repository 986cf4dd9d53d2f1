// A lab's record is read back by another process, maybe much later, and
// down() removes what it lists: so it is checked before it is trusted. A
// record belongs to one description — a lab name AND its prefix — and lists
// only names carrying that prefix; anything else is refused with a message
// that says what to do, never acted on.
import { checkIfname } from '../rtnl/codecs.js';
import { checkNetnsName } from '../netns/names.js';
import type { LabRecord } from './backend.js';
import type { LabNames } from './names.js';

const KEYS = ['lab', 'prefix', 'created', 'namespaces', 'rootLinks', 'dns', 'source', 'description'];

/** Why `value` is not a usable record of lab `lab`, or the record. */
export function checkRecord(value: unknown, lab: string): LabRecord | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'it is not a JSON object';
  const o = value as Record<string, unknown>;
  const unknown = Object.keys(o).filter((k) => !KEYS.includes(k));
  if (unknown.length > 0) return `it has unknown keys (${unknown.join(', ')})`;
  if (o.lab !== lab) return `it is the record of lab ${JSON.stringify(o.lab)}, not of "${lab}"`;
  if (typeof o.prefix !== 'string' || o.prefix === '') return 'its prefix is missing';
  if (typeof o.created !== 'string') return 'its creation time is missing';
  if (o.source !== undefined && typeof o.source !== 'string') return 'its source is not a string';
  if (o.description !== undefined && (typeof o.description !== 'object' || o.description === null || Array.isArray(o.description))) return 'its description is not an object';
  const prefix = o.prefix;
  for (const key of ['namespaces', 'rootLinks', 'dns'] as const) {
    const list = o[key];
    if (!Array.isArray(list) || !list.every((n) => typeof n === 'string')) return `its ${key} are not a list of names`;
    for (const name of list as string[]) {
      if (!name.startsWith(prefix) || name === prefix) return `its ${key} list "${name}", which does not carry the lab's prefix "${prefix}"`;
      try {
        if (key === 'rootLinks') checkIfname(name, '');
        else checkNetnsName(name, '');
      } catch {
        return `its ${key} list ${JSON.stringify(name)}, which is not a usable name`;
      }
    }
  }
  const namespaces = new Set(o.namespaces as string[]);
  const stray = (o.dns as string[]).find((n) => !namespaces.has(n));
  if (stray !== undefined) return `it lists DNS files for "${stray}", which is not one of its namespaces`;
  return o as unknown as LabRecord;
}

/** Whether a (valid) record was written for the description these names come from. */
export function sameOwner(record: LabRecord, names: LabNames): boolean {
  return record.prefix === names.prefix;
}
