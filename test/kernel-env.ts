// Runs inside `unshare --net --mount --propagation private` (see run.ts): gives
// the kernel tests a private /run (so /run/netns starts absent, as on a fresh
// machine), a private /tmp and a writable copy-on-write /etc (for /etc/netns),
// then hands over to uvu. Nothing made here outlives the namespace.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';

function mount(...args: string[]): void {
  execFileSync('mount', args, { stdio: 'inherit' });
}

// A checkout (and its node_modules) may itself live under /tmp or /run: never hide it.
const here = process.cwd();
const under = (dir: string): boolean => here === dir || here.startsWith(`${dir}/`);
if (under('/run')) throw new Error('kernel tests need a private /run; run them from a checkout outside /run');
mount('-t', 'tmpfs', 'netlink-ts-run', '/run');
if (!under('/tmp')) mount('-t', 'tmpfs', 'netlink-ts-tmp', '/tmp');
mkdirSync('/run/.etc/upper', { recursive: true });
mkdirSync('/run/.etc/work', { recursive: true });
mount('-t', 'overlay', 'netlink-ts-etc', '-o', 'lowerdir=/etc,upperdir=/run/.etc/upper,workdir=/run/.etc/work', '/etc');
// In a user namespace (run.ts's unprivileged run) what /etc already holds belongs to a user not
// mapped there, so a /etc/netns the host has is read-only to us: give it a tmpfs of its own.
if (process.env.NETLINK_TS_TEST_USERNS === '1') {
  mkdirSync('/etc/netns', { recursive: true });
  mount('-t', 'tmpfs', 'netlink-ts-etc-netns', '/etc/netns');
}
process.env.NETLINK_TS_TEST_ISOLATED = '1';

const [cmd, ...rest] = process.argv.slice(2);
const r = spawnSync(cmd ?? process.execPath, rest, { stdio: 'inherit', env: process.env });
process.exitCode = r.status ?? 1;
