// W9: listing 10,000 TCP sockets (5,000 connections over 198.18.0.1 and
// their listener, held by a child process): `ss -tan` beside `netlink-ts ss
// -tan`, each a fresh process with its output read through a pipe, and the
// library's dump (list, and stream) in the bench's warm process.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SockDiag } from '../src/diag/client.js';
import { FRESH, type Row, type Tool, WARM, cliArgv, measure } from './harness.js';
import { ip } from './iproute2.js';

export async function sockets(n: number, repeats: number): Promise<Row[]> {
  ip('addr', 'add', '198.18.0.1/32', 'dev', 'lo');
  const child = spawn(process.execPath, [join(dirname(fileURLToPath(import.meta.url)), 'socket-child.js'), String(n)], { stdio: ['pipe', 'pipe', 'inherit'] });
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.once('data', () => resolve());
      child.once('exit', (code) => reject(new Error(`bench: the socket child exited (${code}) before its sockets were up`)));
    });
    const diag = SockDiag.open();
    try {
      const count = (await diag.list({ protocols: ['tcp'] })).length;
      if (count < n) throw new Error(`bench: ${count} TCP sockets listed, expected at least ${n}`);
      const tools: Tool[] = [
        { label: 'ss -tan', run: async (_time, proc) => { proc('list', ['ss', '-tan'], { pipe: true }); } },
        { label: `netlink-ts ss -tan (${FRESH})`, run: async (_time, proc) => { proc('list', cliArgv('ss', '-tan'), { pipe: true }); } },
        { label: `netlink-ts SockDiag.list (${WARM})`, run: async (time) => { await time('list', () => diag.list({ protocols: ['tcp'] })); } },
        { label: `netlink-ts SockDiag.stream (${WARM})`, run: async (time) => {
          await time('list', async () => { let k = 0; for await (const _ of diag.stream({ protocols: ['tcp'] })) k++; return k; });
        } },
      ];
      return await measure('W9', n, tools, repeats);
    } finally {
      diag.close();
    }
  } finally {
    child.stdin.end();
    await new Promise((r) => child.once('exit', r));
    ip('addr', 'del', '198.18.0.1/32', 'dev', 'lo');
  }
}
