// Captures this kernel's sock_diag replies for the sockets of
// test/helpers/diag-sockets.ts (made in a namespace of their own), every
// extension asked for, as the diag fuzz targets' seeds: writes
// test/fuzz/seeds/diag.json.
//
//   npx tsc -p . && node dist/test/fuzz/capture-diag.js
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { release } from 'node:os';
import { fileURLToPath } from 'node:url';
import { SockDiag } from '../../src/diag/client.js';
import { planDumps } from '../../src/diag/query.js';
import { NLMSG_HDRLEN } from '../../src/netlink/writer.js';
import type { DiagSeedFile } from './diag-targets.js';

const OUT = new URL('../../../test/fuzz/seeds/diag.json', import.meta.url).pathname;
const child = spawn('unshare', ['--net', process.execPath, fileURLToPath(new URL('../helpers/diag-sockets.js', import.meta.url))], { stdio: ['pipe', 'pipe', 'inherit'] });
await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
const out: DiagSeedFile = { kernel: release(), messages: [] };
{
  using d = SockDiag.open({ netns: { pid: child.pid! } });
  for (const dump of planDumps({ protocols: ['tcp', 'udp', 'unix', 'packet', 'netlink'], extensions: { info: true, memory: true, tos: true, details: true } })) {
    const target = dump.protocol === 'tcp' || dump.protocol === 'udp' ? `diag.inet.${dump.protocol}` : `diag.${dump.protocol}`;
    for (const m of await d.socket.dump(dump.request)) {
      const hdr = Buffer.alloc(NLMSG_HDRLEN);
      hdr.writeUInt32LE(NLMSG_HDRLEN + m.payload.length, 0);
      hdr.writeUInt16LE(m.type, 4);
      hdr.writeUInt16LE(m.flags, 6);
      out.messages.push({ target, hex: Buffer.concat([hdr, m.payload]).toString('hex') });
    }
  }
}
child.stdin.end();
writeFileSync(OUT, `${JSON.stringify(out, null, 1)}\n`);
process.stdout.write(`${OUT}: ${out.messages.length} replies\n`);
