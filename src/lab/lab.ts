// A lab: a description, its plan, and a backend that carries the plan out.
//
//   const lab = Lab.from(JSON.parse(text), backend);   // every problem at once, or a Lab
//   await lab.up();                                    // all of it, or nothing
//   console.log(formatMatrix(await lab.connectivity()));
//   await lab.down();                                  // what it made, nothing else
//
// up() checks before it changes anything (kinds the system lacks, names taken
// by someone else), writes the record of what it will make, then takes the
// steps in order, batching where the plan allows. On the first failure it
// takes back what it did, last first, and reports that failure with its cause.
import { type ExecOptions, type ExecResult, type LabBackend, type LabRecord, type NamespaceState, VLAN_BRIDGE } from './backend.js';
import { type CleanupHandle, type ProcessHooks, onProcessEnd } from './cleanup.js';
import { type ConnectivityMatrix, type ConnectivityOptions, measureConnectivity } from './connectivity.js';
import type { LabDescription } from './description.js';
import { LabError, LabRecordError, LabRefusedError, LabUpError, messageOf } from './errors.js';
import type { LabNames, NsKey } from './names.js';
import { type LabOp, type Plan, type Step, makePlan, teardown } from './plan.js';
import { type ApplyHost, type ApplyReport, type LabChanges, applyChanges, changesOf, planText } from './apply.js';
import { creations } from './changes.js';
import { type CheckOptions, type CheckReport, checkLab } from './check.js';
import { runOps } from './ops.js';
import { checkRecord, sameOwner } from './record.js';
import { type LabStatus, type World, diffStatus } from './status.js';
import { assertValid } from './validate.js';

/** How a lab behaves in this process: cleanup on exit, where process events come from, where its description came from. */
export interface LabOptions {
  /**
   * Remove the lab when the process ends: SIGINT, SIGTERM, uncaught errors,
   * end of the program. (Whatever this says, the process ending while up()
   * runs stops it and takes back what it made.)
   */
  cleanupOnExit?: boolean;
  /** Where process events come from (tests). */
  process?: ProcessHooks;
  /** Where the description came from (a file name), kept in the record and named in messages. */
  source?: string;
}

/**
 * Operations that change a lab (up, down) run one at a time per lab name in
 * this process: the tail of each lab's queue. (Across processes the
 * backend's lock() does the same.)
 */
const queues = new Map<string, Promise<void>>();

/** What `lab.up()` did: whether anything changed, how many steps it took, how long. */
export interface UpReport {
  /** False when the lab was already up as described, and nothing was done. */
  changed: boolean;
  steps: number;
  ms: number;
}

/** How `lab.down()` removes a lab. */
export interface DownOptions {
  /**
   * Also remove objects that carry the lab's names though no record says it
   * made them (the record was lost). Root links still need the lab's alias.
   */
  force?: boolean;
}

/** What `lab.down()` removed and what it left alone. */
export interface DownReport {
  /** What was removed: "namespace pair-red", "link bridge-br0", "/etc/netns/router-red". */
  removed: string[];
  /** What carries a lab name but was left alone, and why. */
  skipped: string[];
}

/**
 * A namespace lab: a validated description, its plan, and a backend that builds it (`up`), inspects it
 * (`status`, `show`, `connectivity`), runs programs in it (`exec`) and removes it (`down`). See docs/lab.md.
 */
export class Lab {
  readonly description: LabDescription;
  readonly plan: Plan;
  private cleanup: CleanupHandle | undefined;

  /** Validates the description (a LabValidationError lists every problem). */
  constructor(description: LabDescription, readonly backend: LabBackend, private readonly options: LabOptions = {}) {
    this.description = assertValid(description);
    this.plan = makePlan(this.description);
  }

  /** A lab from anything (parsed JSON): validated first. */
  static from(input: unknown, backend: LabBackend, options: LabOptions = {}): Lab {
    return new Lab(input as LabDescription, backend, options);
  }

  get name(): string {
    return this.description.name;
  }

  get names(): LabNames {
    return this.plan.names;
  }

  private fail(message: string, cause?: unknown): LabError {
    return new LabError(`lab "${this.name}": ${message}`, cause === undefined ? undefined : { cause });
  }

  /** Runs one operation, then lets the backend close what it opened for it. */
  private async released<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } finally {
      await this.backend.release().catch(() => undefined);
    }
  }

  /**
   * Runs fn after every earlier up() or down() of a lab of this name in this
   * process has ended, holding the backend's lock of the lab (another
   * process's operation on it ends first).
   */
  private async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const before = queues.get(this.name) ?? Promise.resolve();
    let done!: () => void;
    const tail = before.then(() => new Promise<void>((resolve) => { done = resolve; }));
    queues.set(this.name, tail);
    await before;
    try {
      const release = await this.backend.lock?.(this.name);
      try {
        return await fn();
      } finally {
        await release?.();
      }
    } finally {
      done();
      if (queues.get(this.name) === tail) queues.delete(this.name);
    }
  }

  private get recordWhere(): string {
    return this.backend.recordLocation?.(this.name) ?? `(lab "${this.name}")`;
  }

  /**
   * The lab's record, checked before it is trusted: undefined when there is
   * none; a LabRecordError when it cannot be read, does not hold together
   * (names outside the lab's prefix...), or belongs to another description
   * of a lab with this name (another prefix).
   */
  private async loadRecord(): Promise<LabRecord | undefined> {
    const raw = await this.backend.loadRecord(this.name);
    if (raw === undefined) return undefined;
    const rec = checkRecord(raw, this.name);
    if (typeof rec === 'string') {
      throw new LabRecordError(`lab "${this.name}": its record ${this.recordWhere} cannot be trusted: ${rec}; nothing was changed. ` +
        'Run "lab down FILE --force" with this description FILE (it removes what the description names, then the record), or remove the record by hand', 'unusable');
    }
    if (!sameOwner(rec, this.names)) {
      const theirs = `${rec.source ? `${rec.source}, ` : ''}prefix "${rec.prefix}"${rec.namespaces.length ? `, namespaces ${rec.namespaces.slice(0, 3).join(', ')}${rec.namespaces.length > 3 ? ', ...' : ''}` : ''}`;
      const ours = `${this.options.source ? `${this.options.source}, ` : ''}prefix "${this.names.prefix}"`;
      throw new LabRecordError(`lab "${this.name}": its record ${this.recordWhere} belongs to another description of a lab named "${this.name}" (${theirs}), not to this one (${ours}); ` +
        'nothing was changed. Take that lab down with its own description first, or give this one another name', 'foreign');
    }
    return rec;
  }

  /** Builds the lab: all of it, or (on a failure) nothing, with the failure and its cause in a LabUpError. */
  up(): Promise<UpReport> {
    return this.released(() => this.exclusive(() => this.build()));
  }

  private async build(): Promise<UpReport> {
    const t0 = performance.now();
    const record = await this.loadRecord();
    if (record) {
      const st = await this.look();
      if (st.up) {
        this.watchExit();
        return { changed: false, steps: 0, ms: performance.now() - t0 };
      }
      const bad = st.items.filter((i) => i.state === 'missing' || i.state === 'different');
      throw this.fail(`is partly up (${bad.slice(0, 3).map((i) => `${i.state}: ${i.what}`).join('; ')}${bad.length > 3 ? `; ${bad.length - 3} more` : ''}); run down() first`);
    }
    await this.preflight();
    const rec: LabRecord = { lab: this.name, prefix: this.names.prefix, created: new Date().toISOString(), ...this.plan.owned, description: this.description };
    if (this.options.source !== undefined) rec.source = this.options.source;
    await this.backend.saveRecord(rec);
    // While it goes up, the process ending (Ctrl-C, SIGTERM, an uncaught
    // error) stops the build before its next step, which takes back what was
    // made like any failure; the process then ends as it would have. (If the
    // last step was already under way, the lab is up, and stays up unless
    // cleanupOnExit asks for its removal.)
    let interrupted: string | undefined;
    let settle!: () => void;
    const settled = new Promise<void>((resolve) => { settle = resolve; });
    let finished = false;
    const guard = onProcessEnd(`lab "${this.name}" (going up)`, async () => {
      interrupted = 'the process is ending';
      await settled;
      // The process ends before whoever awaits up() could print its error: say it here.
      if (failure !== undefined) process.stderr.write(`netlink-ts: ${messageOf(failure)}\n`);
      if (finished && this.options.cleanupOnExit) await this.down();
    }, this.options.process);
    let failure: unknown;
    try {
      const report = await this.takeSteps(() => interrupted);
      finished = true;
      return { ...report, ms: performance.now() - t0 };
    } catch (err) {
      failure = err;
      throw err;
    } finally {
      settle();
      guard.remove();
      // Watching goes on for a lab that is up, unless its removal has begun.
      if (finished && interrupted === undefined) this.watchExit();
    }
  }

  /** The plan's steps in order, batched where it allows; on a failure (or an interruption) what was done is taken back. */
  private async takeSteps(interrupted: () => string | undefined): Promise<Omit<UpReport, 'ms'>> {
    const done: Step[] = [];
    const steps = this.plan.steps;
    for (let at = 0; at < steps.length;) {
      const group = [steps[at]!];
      while (group[0]!.batch !== undefined && steps[at + group.length]?.batch === group[0]!.batch) group.push(steps[at + group.length]!);
      try {
        // Backend steps rarely wait for anything (a namespace is made by
        // synchronous system calls, a batch's replies are queued when it is
        // sent), so without this a signal's handler would run only once the
        // whole build was done. One turn of the event loop per batch is cheap.
        await new Promise((resolve) => setImmediate(resolve));
        const why = interrupted();
        if (why !== undefined) throw new LabError(`interrupted: ${why}`);
        await this.carry(group.map((s) => s.op));
      } catch (err) {
        const index = (err as { index?: unknown }).index;
        const ok = typeof index === 'number' && Number.isInteger(index) && index >= 0 && index < group.length ? index : 0;
        done.push(...group.slice(0, ok));
        const failed = group[ok]!;
        const rollbackErrors = await this.rollback(done);
        if (rollbackErrors.length === 0) await this.backend.removeRecord(this.name).catch((e: unknown) => rollbackErrors.push(e));
        const tail = rollbackErrors.length === 0
          ? `everything it had made is removed again`
          : `taking back what it had made failed ${rollbackErrors.length} time(s): ${rollbackErrors.map(messageOf).join('; ')}`;
        throw new LabUpError(`lab "${this.name}": step ${failed.n} of ${steps.length} failed: ${failed.what} (${failed.source}): ${messageOf(err)}; ${tail}`,
          err, failed.n, steps.length, rollbackErrors);
      }
      done.push(...group);
      at += group.length;
    }
    return { changed: true, steps: steps.length };
  }

  /** Stops before any change when the system cannot make the lab or its names are taken. */
  private async preflight(): Promise<void> {
    const need = {
      // A VLAN-filtering bridge is asked for as a kind of its own: a kernel may have bridges without VLAN filtering.
      linkKinds: [...new Set(this.plan.steps.flatMap((s) => (s.op.op === 'link.add' ? [s.op.link.kind === 'bridge' && s.op.link.vlanFiltering ? VLAN_BRIDGE : s.op.link.kind] : [])))],
      qdiscKinds: [...new Set(this.plan.steps.flatMap((s) => (s.op.op === 'qdisc.add' ? [s.op.qdisc.kind] : [])))],
    };
    const lacking = await this.backend.unsupported(need);
    const problems: string[] = [];
    for (const kind of lacking.qdiscKinds) {
      const where = this.plan.steps.filter((s) => s.op.op === 'qdisc.add' && s.op.qdisc.kind === kind).map((s) => s.source);
      problems.push(`this system has no ${kind} qdisc (the kernel lacks sch_${kind}), needed by ${where.join(', ')}`);
    }
    for (const kind of lacking.linkKinds) {
      problems.push(kind === 'tap' ? 'this process cannot open /dev/net/tun to make taps (the tun module is missing, or it needs the real root)'
        : kind === VLAN_BRIDGE ? "this kernel's bridge does not filter VLANs (CONFIG_BRIDGE_VLAN_FILTERING), needed by the VLAN-filtering bridges"
          : `this system cannot make ${kind} links`);
    }
    const existing = new Set(await this.backend.listNamespaces());
    for (const ns of this.plan.owned.namespaces) if (existing.has(ns)) problems.push(`namespace ${ns} exists already, and no record says this lab made it`);
    if (this.plan.owned.rootLinks.length > 0) {
      const root = await this.backend.inspect(null, { sysctls: [] });
      const names = new Set(root.links.map((l) => l.name));
      for (const l of this.plan.owned.rootLinks) if (names.has(l)) problems.push(`link ${l} exists already in the root namespace`);
    }
    if (problems.length > 0) throw new LabRefusedError(`lab "${this.name}": cannot go up, nothing was created:\n  ${problems.join('\n  ')}`, problems, lacking);
  }

  /** Carries out ops that form one batch (or a single op). */
  private carry(ops: LabOp[]): Promise<void> {
    return runOps(this.backend, ops);
  }

  /** Takes back done steps, last first; returns what could not be taken back. */
  private async rollback(done: Step[]): Promise<unknown[]> {
    const errors: unknown[] = [];
    for (const s of done.slice().reverse()) {
      if (!s.undo) continue;
      try {
        await this.carry([s.undo]);
      } catch (err) {
        errors.push(err);
      }
    }
    return errors;
  }

  /**
   * Removes everything the lab's record says it made (root links only when
   * they still carry the lab's alias), then the record. Safe to repeat.
   */
  down(options: DownOptions = {}): Promise<DownReport> {
    return this.released(() => this.exclusive(() => this.remove(options)));
  }

  private async remove(options: DownOptions): Promise<DownReport> {
    let record: LabRecord | undefined;
    // With force, a record that cannot be used does not stop down(): it goes
    // by the description's names alone, then removes a broken record (but
    // never another description's).
    let unusable: LabRecordError | undefined;
    try {
      record = await this.loadRecord();
    } catch (err) {
      if (!options.force || !(err instanceof LabRecordError) || err.kind === 'io') throw err;
      unusable = err;
    }
    const owned = { namespaces: new Set(record?.namespaces), rootLinks: new Set(record?.rootLinks), dns: new Set(record?.dns) };
    if (options.force) {
      for (const k of ['namespaces', 'rootLinks', 'dns'] as const) for (const n of this.plan.owned[k]) owned[k].add(n);
    }
    const ops: LabOp[] = [];
    // The plan's order for what it knows, then what only the record knows.
    for (const op of teardown(this.plan)) {
      const set = op.op === 'netns.del' ? owned.namespaces : op.op === 'link.del' ? owned.rootLinks : op.op === 'dns.remove' ? owned.dns : undefined;
      const key = op.op === 'link.del' ? op.name : (op as { ns: string }).ns;
      if (set?.delete(key)) ops.push(op);
    }
    const rest: LabOp[] = [
      ...[...owned.dns].map((ns): LabOp => ({ op: 'dns.remove', ns })),
      ...[...owned.rootLinks].map((name): LabOp => ({ op: 'link.del', ns: null, name })),
      ...[...owned.namespaces].map((ns): LabOp => ({ op: 'netns.del', ns })),
    ];
    ops.unshift(...rest.filter((o) => o.op === 'dns.remove'));
    ops.push(...rest.filter((o) => o.op !== 'dns.remove'));

    const report: DownReport = { removed: [], skipped: [] };
    const errors: unknown[] = [];
    let root: Map<string, string | undefined> | undefined;
    if (ops.some((o) => o.op === 'link.del')) {
      const state = await this.backend.inspect(null, { sysctls: [] });
      root = new Map(state.links.map((l) => [l.name, l.alias]));
    }
    for (const op of ops) {
      try {
        if (op.op === 'link.del') {
          if (!root!.has(op.name)) continue;
          if (root!.get(op.name) !== this.names.alias) {
            report.skipped.push(`link ${op.name}: its alias is ${JSON.stringify(root!.get(op.name) ?? '')}, not "${this.names.alias}"`);
            continue;
          }
          if (await this.backend.deleteLink(null, op.name)) report.removed.push(`link ${op.name}`);
        } else if (op.op === 'netns.del') {
          if (await this.backend.deleteNamespace(op.ns)) report.removed.push(`namespace ${op.ns}`);
        } else if (op.op === 'dns.remove') {
          if (await this.backend.removeDnsFiles(op.ns)) report.removed.push(`/etc/netns/${op.ns}`);
        }
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length > 0) {
      throw this.fail(`down removed ${report.removed.length} thing(s) but failed ${errors.length} time(s): ${errors.map(messageOf).join('; ')}; the record is kept, so down() can be tried again`, errors[0]);
    }
    if (record || unusable?.kind === 'unusable') await this.backend.removeRecord(this.name);
    if (unusable?.kind === 'unusable') report.removed.push(`the unusable record ${this.recordWhere}`);
    if (unusable?.kind === 'foreign') report.skipped.push(`the record ${this.recordWhere}: it belongs to another description of lab "${this.name}"`);
    this.cleanup?.remove();
    this.cleanup = undefined;
    return report;
  }

  /** What exists now against the description. */
  status(): Promise<LabStatus> {
    return this.released(() => this.look());
  }

  /** What exists now against a description (this lab's, or the one its record says it was made from). */
  private async look(description = this.description, plan = this.plan): Promise<LabStatus> {
    const record = await this.loadRecord();
    const namespaces = await this.backend.listNamespaces();
    const present = new Set(namespaces);
    const states = new Map<NsKey, NamespaceState>();
    for (const spec of description.namespaces) {
      const ns = plan.names.namespace(spec.name);
      if (!present.has(ns)) continue;
      const sysctls = plan.steps.flatMap((s) => (s.op.op === 'sysctl.set' && s.op.ns === ns ? [s.op.key] : []));
      states.set(ns, await this.backend.inspect(ns, { sysctls }));
    }
    if (plan.owned.rootLinks.length > 0 || record?.rootLinks.length) states.set(null, await this.backend.inspect(null, { sysctls: [] }));
    const world: World = { namespaces, states };
    const leftovers = await this.backend.leftoverNamespaces?.();
    if (leftovers?.length) world.leftovers = leftovers;
    if (record) world.recorded = { namespaces: record.namespaces, rootLinks: record.rootLinks };
    return diffStatus(description, plan, world);
  }

  /** apply()'s view of this lab. */
  private get host(): ApplyHost {
    return {
      name: this.name, backend: this.backend, description: this.description, plan: this.plan, source: this.options.source,
      loadRecord: () => this.loadRecord(), look: (d, p) => this.look(d, p),
    };
  }

  /**
   * What apply() would change, object by object, to make the lab that is up
   * match this description (kept objects are not listed). A lab that is not
   * up: `up: false`, and every object is to be created.
   */
  planChanges(): Promise<LabChanges> {
    return this.released(async () => {
      const found = await changesOf(this.host, await this.loadRecord());
      if (found) return planText(found.plan);
      return { up: false, changes: creations(this.plan), steps: [] };
    });
  }

  /**
   * Makes the lab that is up match this description, changing only what
   * differs (planChanges() lists it): all of it, or (on a failure) nothing,
   * the steps taken back and the record as it was. A lab that is not up is
   * built as up() builds it.
   */
  apply(): Promise<ApplyReport> {
    return this.released(() => this.exclusive(async () => {
      const t0 = performance.now();
      const record = await this.loadRecord();
      if (!record) {
        const up = await this.build();
        return { changed: up.changed, changes: creations(this.plan), steps: up.steps, ms: performance.now() - t0 };
      }
      const report = await applyChanges(this.host, record);
      return { ...report, ms: performance.now() - t0 };
    }));
  }

  /**
   * What the lab's namespaces hold now, one entry per namespace that exists
   * (for formatNamespaces): links, addresses, routes. The root namespace is
   * shown with the lab's own links and the routes through them only.
   */
  show(): Promise<{ ns: string; state: NamespaceState }[]> {
    return this.released(async () => {
      const present = new Set(await this.backend.listNamespaces());
      const out: { ns: string; state: NamespaceState }[] = [];
      if (this.plan.owned.rootLinks.length > 0) {
        const root = await this.backend.inspect(null, { sysctls: [] });
        const mine = new Set(this.plan.owned.rootLinks);
        out.push({ ns: '(root)', state: { ...root, links: root.links.filter((l) => mine.has(l.name)), routes: root.routes.filter((r) => r.dev !== undefined && mine.has(r.dev)) } });
      }
      for (const spec of this.description.namespaces) {
        const ns = this.names.namespace(spec.name);
        if (present.has(ns)) out.push({ ns, state: await this.backend.inspect(ns, { sysctls: [] }) });
      }
      return out;
    });
  }

  /** Runs a program in one of the lab's namespaces (by its lab name; null: the root namespace). */
  async exec(ns: string | null, argv: string[], options?: ExecOptions): Promise<ExecResult> {
    return this.backend.exec(this.systemNs(ns), argv, options);
  }

  /** The system name of a lab namespace; a LabError for a name the lab does not have. */
  systemNs(ns: string | null): NsKey {
    if (ns === null) return null;
    if (!this.description.namespaces.some((n) => n.name === ns)) {
      throw this.fail(`has no namespace "${ns}" (it has ${this.description.namespaces.map((n) => n.name).join(', ')})`);
    }
    return this.names.namespace(ns);
  }

  /** Which namespaces reach which addresses, against what the description says they should. */
  connectivity(options: ConnectivityOptions = {}): Promise<ConnectivityMatrix> {
    return this.released(() => measureConnectivity(this.description, this.backend, options));
  }

  /** Measures what the description's `expect` says of its paths (check.ts): reachable, rtt, loss, rate. */
  check(options: CheckOptions = {}): Promise<CheckReport> {
    return this.released(() => checkLab(this.description, this.backend, options));
  }

  private watchExit(): void {
    if (!this.options.cleanupOnExit || this.cleanup) return;
    this.cleanup = onProcessEnd(`lab "${this.name}"`, () => this.down(), this.options.process);
  }

  /** Removes the lab: `await using lab = ...`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.down();
  }
}
