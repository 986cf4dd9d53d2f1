// `netlink-ts lab run FILE...`: each lab end to end — up, each namespace's
// links, addresses and routes, the connectivity matrix, down, and a check
// that nothing of it is left — then a summary. A lab the system cannot make
// (a qdisc kind the kernel lacks) is refused before anything is made; that
// is shown, checked for leftovers too, and counts as going as expected.
// Exit 0 when every lab went as expected. `npm run lab` runs the examples.
import { readFileSync } from 'node:fs';
import { formatMatrix, formatNamespaces, table } from '../../lab/format.js';
import type { KernelBackend } from '../../lab/kernel/backend.js';
import { LabRefusedError, messageOf } from '../../lab/errors.js';
import { type HostSnapshot, hostChanges, hostSnapshot, hostSummary } from '../../lab/kernel/host-check.js';
import { privilegeProblem } from '../../lab/kernel/privilege.js';
import type { Lab } from '../../lab/lab.js';
import { UsageError } from '../args.js';
import type { Output } from '../output.js';
import { type Err, labOf } from './lab-kernel.js';
import { IN_LAB_USERNS } from './lab-userns.js';

interface Outcome {
  file: string;
  lab: string;
  verdict: 'ok' | 'refused' | 'FAILED';
  note: string;
}

const ms = (t: number) => `${Math.round(t)} ms`;

/** Removes the lab whatever happened, and says what (if anything) is left. */
async function tearDown(lab: Lab, out: Output): Promise<string[]> {
  const t0 = performance.now();
  const r = await lab.down();
  const left = await (lab.backend as KernelBackend).leftovers(lab.plan);
  out.line(`down in ${ms(performance.now() - t0)}: ${r.removed.length ? `removed ${r.removed.join(', ')}` : 'there was nothing to remove'}`);
  out.line(left.length ? `LEFT BEHIND: ${left.join(', ')}` : 'nothing of the lab is left: no namespace, link, mount, /etc/netns file or record');
  return left;
}

/** Why traffic across a root-namespace bridge may be dropped on this host, when that is likely. */
function bridgeNetfilterHint(lab: Lab): string | undefined {
  if (!(lab.description.bridges ?? []).some((b) => b.namespace === undefined)) return undefined;
  try {
    if (readFileSync('/proc/sys/net/bridge/bridge-nf-call-iptables', 'utf8').trim() !== '1') return undefined;
  } catch {
    return undefined;
  }
  return 'note: br_netfilter is loaded here (net.bridge.bridge-nf-call-iptables=1), so traffic across a bridge in the root namespace ' +
    'goes through iptables\' FORWARD chain; a policy of DROP there (Docker sets one) stops it. A bridge inside a lab namespace avoids that.';
}

async function runOne(file: string, n: string, out: Output, err: Err, host: HostSnapshot | undefined): Promise<Outcome> {
  // Ctrl-C (or any end of the process) once the lab is up removes it first.
  const lab = await labOf(file, err, { cleanupOnExit: true });
  if (!lab) return { file, lab: '?', verdict: 'FAILED', note: 'the description has problems' };
  out.line(`━━ ${n} ${file}: lab ${lab.name} ━━`);
  if (lab.description.description) out.line(lab.description.description);
  const outcome: Outcome = { file, lab: lab.name, verdict: 'ok', note: '' };
  try {
    const up = await lab.up();
    out.line(`up: ${up.steps} steps in ${ms(up.ms)}; namespaces ${lab.plan.owned.namespaces.join(', ')} (ip netns list shows them)\n`);
    out.line(formatNamespaces(await lab.show()));
    out.line('');
    const m = await lab.connectivity();
    out.line(formatMatrix(m));
    const cells = m.cells.flat();
    outcome.note = `up in ${ms(up.ms)}; ${cells.filter((c) => c.reached).length} of ${cells.length} paths answer, ${m.ok ? 'all as expected' : `${cells.filter((c) => !c.ok).length} NOT as expected`}`;
    if (!m.ok) {
      outcome.verdict = 'FAILED';
      const hint = bridgeNetfilterHint(lab);
      if (hint) out.line(hint);
    }
  } catch (e) {
    if (e instanceof LabRefusedError && e.lacking.linkKinds.length + e.lacking.qdiscKinds.length === e.problems.length) {
      out.line(`refused (this system cannot make it):\n${e.message}`);
      outcome.verdict = 'refused';
      outcome.note = `refused before making anything: no ${[...e.lacking.qdiscKinds.map((k) => `${k} qdisc`), ...e.lacking.linkKinds.map((k) => `${k} links`)].join(', ')} here`;
    } else {
      out.line(`FAILED: ${messageOf(e)}`);
      outcome.verdict = 'FAILED';
      outcome.note = messageOf(e).split('\n')[0]!;
    }
  }
  try {
    const left = await tearDown(lab, out);
    if (left.length) {
      outcome.verdict = 'FAILED';
      outcome.note += `; left behind: ${left.join(', ')}`;
    }
  } catch (e) {
    out.line(`FAILED to remove it: ${messageOf(e)}`);
    outcome.verdict = 'FAILED';
    outcome.note += `; down failed: ${messageOf(e)}`;
  }
  const changed = host ? hostChanges(host, await hostSnapshot()) : [];
  if (changed.length) {
    out.line(`THE HOST CHANGED (links, addresses, routes or qdiscs of the namespace this command runs in):\n  ${changed.join('\n  ')}`);
    outcome.verdict = 'FAILED';
    outcome.note += '; the host changed';
  }
  out.line('');
  return outcome;
}

export async function labRunCommand(files: string[], out: Output, err: Err): Promise<number> {
  if (files.length === 0 || files.some((f) => f.startsWith('-'))) throw new UsageError('lab run FILE... : build, show, probe and remove each lab in turn');
  const denied = privilegeProblem('netlink-ts lab run');
  if (denied) {
    err(denied);
    return 1;
  }
  // In the lab's user namespace (an ordinary user's run) the real host is checked from outside (lab-userns.ts).
  const host = process.env[IN_LAB_USERNS] === '1' ? undefined : await hostSnapshot();
  out.line(`netlink-ts lab run: ${files.length} lab${files.length === 1 ? '' : 's'}, each built, shown, probed and removed in turn\n`);
  const outcomes: Outcome[] = [];
  for (const [i, f] of files.entries()) outcomes.push(await runOne(f, `${i + 1}/${files.length}`, out, err, host));
  out.line('summary');
  out.line(table(outcomes.map((o) => [`  ${o.file}`, o.lab, o.verdict, o.note])));
  const failed = outcomes.filter((o) => o.verdict === 'FAILED').length;
  const ran = outcomes.filter((o) => o.verdict === 'ok').length;
  out.line(failed === 0 && ran > 0
    ? `all ${outcomes.length} labs went as expected${outcomes.length > ran ? ` (${outcomes.length - ran} refused by this system, as they should be)` : ''}`
    : `${failed} of ${outcomes.length} labs did not go as expected`);
  if (!host) return failed === 0 && ran > 0 ? 0 : 1;
  const after = await hostSnapshot();
  const changed = hostChanges(host, after);
  out.line(changed.length
    ? `the host CHANGED during the run: ${changed.length} difference${changed.length === 1 ? '' : 's'} in its links, addresses, routes or qdiscs`
    : `the host is unchanged: its ${hostSummary(after)} are as they were before the run`);
  if (changed.length) return 1;
  return failed === 0 && ran > 0 ? 0 : 1;
}
