// `lab plan FILE`, `lab apply FILE` and `lab check FILE` (measured properties, check.ts): what changing the lab that is up to
// match its edited description takes, object by object, and doing it (all
// or nothing, as up() does).
import { changesText } from '../../lab/changes.js';
import { checkText } from '../../lab/check.js';
import { type GlobalOptions, UsageError } from '../args.js';
import type { Output } from '../output.js';
import { type Err, privilegedLabOf } from './lab-kernel.js';

export const LAB_APPLY_USAGE = `lab check FILE [--seconds S]                        measure the description's expect (reachable, rtt, loss, rate); exit 1 unless all is as expected
lab plan FILE                                       what apply would change in the lab that is up: created, changed, made anew, deleted
lab apply FILE                                      change the lab that is up to match FILE (all of it, or nothing); a lab that is not up is built`;

export async function labApplyCommand(verb: 'plan' | 'apply' | 'check', rest: string[], opts: GlobalOptions, out: Output, err: Err): Promise<number> {
  const [file, ...extra] = rest;
  let seconds: number | undefined;
  if (verb === 'check' && extra[0] === '--seconds') {
    const t = extra[1] ?? '';
    seconds = Number(t);
    if (!/^\d+(\.\d+)?$/.test(t) || seconds <= 0 || seconds > 60) throw new UsageError('--seconds takes a number of seconds from 0 to 60');
    extra.splice(0, 2);
  }
  if (!file || file.startsWith('-') || extra.length > 0) throw new UsageError(`lab ${verb} takes one FILE\n${LAB_APPLY_USAGE}`);
  const lab = await privilegedLabOf(verb, file, err);
  if (!lab) return 1;
  if (verb === 'check') {
    const r = await lab.check(seconds === undefined ? {} : { seconds });
    if (opts.json) out.json(r);
    else out.line(checkText(r));
    return r.ok ? 0 : 1;
  }
  if (verb === 'plan') {
    const p = await lab.planChanges();
    if (opts.json) out.json(p);
    else {
      if (!p.up) out.line(`lab ${lab.name} is not up: apply builds all of it (as up does)`);
      out.line(changesText(lab.name, p.changes));
      if (p.steps.length > 0) out.line(`  ${p.steps.filter((s) => s.op !== null).length} steps`);
    }
    return 0;
  }
  const r = await lab.apply();
  if (opts.json) out.json(r);
  else if (!r.changed) out.line(`lab ${lab.name}: no changes; the lab is as described`);
  else out.line(`${changesText(lab.name, r.changes, true)}\n  ${r.steps} steps in ${Math.round(r.ms)} ms`);
  return 0;
}
