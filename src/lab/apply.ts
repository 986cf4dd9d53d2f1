// Changing a lab that is up to match its edited description (Lab.apply):
// the changes of changes.ts, checked first (the lab is as its record's
// description says; the system can make what is new; new names are free),
// then carried out all or nothing. The record lists what both descriptions
// own while the changes are made (a down() after a crash removes all of
// it), and the new description once they are made; on a failure the steps
// taken are taken back, last first, and the record is put back as it was.
import type { LabBackend, LabRecord } from './backend.js';
import { VLAN_BRIDGE } from './backend.js';
import { type ApplyStep, type ChangePlan, type ObjectChange, planChanges } from './changes.js';
import type { LabDescription } from './description.js';
import { LabError, LabRecordError, LabRefusedError, LabUpError, messageOf } from './errors.js';
import { runOps } from './ops.js';
import { type Plan, makePlan } from './plan.js';
import type { LabStatus } from './status.js';
import { validate } from './validate.js';

/** What apply() needs of the Lab it changes. */
export interface ApplyHost {
  readonly name: string;
  readonly backend: LabBackend;
  readonly description: LabDescription;
  readonly plan: Plan;
  readonly source: string | undefined;
  loadRecord(): Promise<LabRecord | undefined>;
  look(description: LabDescription, plan: Plan): Promise<LabStatus>;
}

/** What `lab.planChanges()` reports: what apply() would change in the lab that is up, object by object (`netlink-ts lab plan FILE`). */
export interface LabChanges {
  /** False: the lab is not up (no record); apply() builds it as up() does. */
  up: boolean;
  /** Every object that is not kept (all of them, to be created, when the lab is not up). */
  changes: ObjectChange[];
  /** The steps, in order; an empty list when nothing changes. */
  steps: ApplyStep[];
}

/** What `lab.apply()` did. */
export interface ApplyReport {
  /** False when the lab already matched its description. */
  changed: boolean;
  /** The objects changed, made or removed. */
  changes: ObjectChange[];
  /** How many steps were carried out. */
  steps: number;
  /** Milliseconds it took. */
  ms: number;
}

/** The description a lab's record says it was made from, checked like any other. */
function recordedDescription(host: ApplyHost, record: LabRecord): LabDescription {
  if (record.description === undefined) {
    throw new LabError(`lab "${host.name}": its record has no description (it was made before changes could be applied); take it down and up again to change it`);
  }
  const v = validate(record.description);
  if (!v.ok) throw new LabRecordError(`lab "${host.name}": the description in its record is not valid (${v.problems.length} problems); take it down with --force`, 'unusable');
  return v.lab;
}

/** The changes from what is up to the host's description; undefined when the lab is not up. */
export async function changesOf(host: ApplyHost, record: LabRecord | undefined): Promise<{ plan: ChangePlan; before: LabDescription } | undefined> {
  if (!record) return undefined;
  const before = recordedDescription(host, record);
  let plan = planChanges(before, host.description);
  if (plan.reads.length > 0) {
    // A sysctl set for the first time in a namespace that stays is taken back to its value now.
    const values = new Map<string, string>();
    for (const ns of new Set(plan.reads.map((r) => r.ns))) {
      const state = await host.backend.inspect(ns, { sysctls: plan.reads.filter((r) => r.ns === ns).map((r) => r.key) });
      for (const [k, v] of Object.entries(state.sysctls)) values.set(`${ns}\0${k}`, v);
    }
    plan = planChanges(before, host.description, (ns, key) => values.get(`${ns}\0${key}`));
    if (plan.reads.length > 0) {
      throw new LabRefusedError(`lab "${host.name}": cannot read ${plan.reads.map((r) => `${r.key} in ${r.ns}`).join(', ')}, so setting it could not be taken back; nothing was changed`,
        plan.reads.map((r) => `cannot read ${r.key} in ${r.ns}`), { linkKinds: [], qdiscKinds: [] });
    }
  }
  return { plan, before };
}

export function planText(changes: ChangePlan): LabChanges {
  return { up: true, changes: changes.changes, steps: changes.steps };
}

/** Stops before any change when the lab has drifted from its record, or the system cannot make what is new. */
async function check(host: ApplyHost, before: LabDescription, plan: ChangePlan, record: LabRecord): Promise<void> {
  const st = await host.look(before, makePlan(before));
  const bad = st.items.filter((i) => i.state === 'missing' || i.state === 'different');
  if (bad.length > 0) {
    throw new LabError(`lab "${host.name}": is not as the description it was made from says (${bad.slice(0, 3).map((i) => `${i.state}: ${i.what}`).join('; ')}${bad.length > 3 ? `; ${bad.length - 3} more` : ''}); nothing was changed. Run down() and up()`);
  }
  const made = plan.steps.flatMap((s) => (s.op === null ? [] : [s.op]));
  const need = {
    linkKinds: [...new Set(made.flatMap((o) => (o.op === 'link.add' ? [o.link.kind === 'bridge' && o.link.vlanFiltering ? VLAN_BRIDGE : o.link.kind] : [])))],
    qdiscKinds: [...new Set(made.flatMap((o) => (o.op === 'qdisc.add' || o.op === 'qdisc.change' ? [o.qdisc.kind] : [])))],
  };
  const lacking = await host.backend.unsupported(need);
  const problems = [
    ...lacking.qdiscKinds.map((k) => `this system has no ${k} qdisc (the kernel lacks sch_${k})`),
    ...lacking.linkKinds.map((k) => `this system cannot make ${k} links`),
  ];
  const existing = new Set(await host.backend.listNamespaces());
  const mine = new Set(record.namespaces);
  for (const o of made) if (o.op === 'netns.add' && existing.has(o.ns) && !mine.has(o.ns)) problems.push(`namespace ${o.ns} exists already, and no record says this lab made it`);
  const rootNew = plan.next.owned.rootLinks.filter((l) => !record.rootLinks.includes(l));
  if (rootNew.length > 0) {
    const root = await host.backend.inspect(null, { sysctls: [] });
    const names = new Set(root.links.map((l) => l.name));
    for (const l of rootNew) if (names.has(l)) problems.push(`link ${l} exists already in the root namespace`);
  }
  if (problems.length > 0) throw new LabRefusedError(`lab "${host.name}": cannot apply the changes, nothing was changed:\n  ${problems.join('\n  ')}`, problems, lacking);
}

/** Takes the steps; on a failure takes back what was done, last first, puts the record back and throws a LabUpError. */
export async function applyChanges(host: ApplyHost, record: LabRecord): Promise<Omit<ApplyReport, 'ms'>> {
  const found = await changesOf(host, record);
  if (!found) throw new LabError(`lab "${host.name}": is not up`);
  const { plan, before } = found;
  if (plan.steps.length === 0) return { changed: false, changes: [], steps: 0 };
  await check(host, before, plan, record);
  const b = host.backend;
  await b.saveRecord({ ...record, ...plan.union });
  const steps = plan.steps;
  const done: ApplyStep[] = [];
  for (let at = 0; at < steps.length;) {
    const group = [steps[at]!];
    while (group[0]!.batch !== undefined && steps[at + group.length]?.batch === group[0]!.batch) group.push(steps[at + group.length]!);
    try {
      await runOps(b, group.flatMap((s) => (s.op === null ? [] : [s.op])));
    } catch (err) {
      const index = typeof err === 'object' && err !== null && 'index' in err ? err.index : undefined;
      const ok = typeof index === 'number' && Number.isInteger(index) && index >= 0 && index < group.length ? index : 0;
      done.push(...group.slice(0, ok));
      const failed = group[ok]!;
      const rollbackErrors: unknown[] = [];
      for (const s of done.slice().reverse()) {
        for (const op of s.undo) {
          try {
            await runOps(b, [op]);
          } catch (e) {
            rollbackErrors.push(e);
          }
        }
      }
      if (rollbackErrors.length === 0) await b.saveRecord(record).catch((e: unknown) => rollbackErrors.push(e));
      const tail = rollbackErrors.length === 0
        ? 'the lab is back as it was'
        : `taking back what it had changed failed ${rollbackErrors.length} time(s): ${rollbackErrors.map(messageOf).join('; ')}; the record lists what either description owns, so down() removes it all`;
      throw new LabUpError(`lab "${host.name}": apply step ${failed.n} of ${steps.length} failed: ${failed.what} (${failed.source}): ${messageOf(err)}; ${tail}`,
        err, failed.n, steps.length, rollbackErrors);
    }
    done.push(...group);
    at += group.length;
  }
  const next: LabRecord = { lab: host.name, prefix: record.prefix, created: new Date().toISOString(), ...plan.next.owned, description: host.description };
  const source = host.source ?? record.source;
  if (source !== undefined) next.source = source;
  await b.saveRecord(next);
  return { changed: true, changes: plan.changes, steps: steps.filter((s) => s.op !== null).length };
}
