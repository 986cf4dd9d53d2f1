// What namespaces cost here: creating one, opening a client in one, running
// a program in one, next to iproute2 doing the same. Run it as root inside a
// throw-away namespace, e.g.:
//   unshare --net --mount --propagation private -- sh -c \
//     'mount -t tmpfs nlts-bench /run && node dist/bench/netns.js'
import { execFileSync, spawnSync } from 'node:child_process';
import { Rtnl } from '../src/client.js';
import { exec } from '../src/netns/exec.js';
import { add, remove } from '../src/netns/named.js';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function time(label: string, n: number, fn: (i: number) => unknown): Promise<void> {
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    xs.push(performance.now() - t);
  }
  console.log(`${label.padEnd(44)} median ${median(xs).toFixed(2).padStart(8)} ms  (n=${n})`);
}

await time('netns add + delete (ours)', 50, (i) => { add(`nlts-b${i}`); remove(`nlts-b${i}`); });
await time('ip netns add + ip netns del', 20, (i) => { execFileSync('ip', ['netns', 'add', `nlts-i${i}`]); execFileSync('ip', ['netns', 'del', `nlts-i${i}`]); });
add('nlts-bench');
await time('Rtnl.openSync() + close', 200, () => Rtnl.openSync().close());
await time('Rtnl.openSync({ netns }) + close', 200, () => Rtnl.openSync({ netns: 'nlts-bench' }).close());
await time('spawn true (plain child_process)', 20, () => spawnSync('true'));
await time('ip netns exec NAME true', 20, () => spawnSync('ip', ['netns', 'exec', 'nlts-bench', 'true']));
await time('exec(NAME, [true], { mounts: false })', 20, () => exec('nlts-bench', ['true'], { mounts: false }));
await time('exec(NAME, [true]) (helper, like ip netns exec)', 20, () => exec('nlts-bench', ['true']));
await time('node -e 0 (the helper\'s floor)', 20, () => spawnSync(process.execPath, ['-e', '0']));
remove('nlts-bench');
