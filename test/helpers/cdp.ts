// Headless chromium driven over the DevTools protocol, with nothing but node:
// a minimal WebSocket client (RFC 6455: masked text frames out, text and
// continuation frames in) on an HTTP upgrade, for the live-view test. Debian's
// `chromium` package (installed by .ci/run); no puppeteer download.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import type { Socket } from 'node:net';

/** Whether chromium is installed. */
export function haveChromium(): boolean {
  return spawnSync('chromium', ['--version'], { encoding: 'utf8' }).status === 0;
}

class WsClient {
  private buf = Buffer.alloc(0);
  private parts: Buffer[] = [];
  onText: (text: string) => void = () => {};

  constructor(private readonly socket: Socket) {
    socket.on('data', (d: Buffer) => { this.buf = Buffer.concat([this.buf, d]); this.read(); });
  }

  static connect(url: string): Promise<WsClient> {
    const u = new URL(url);
    return new Promise((resolve, reject) => {
      const req = request({ host: u.hostname, port: u.port, path: u.pathname, headers: {
        Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
      } });
      req.on('upgrade', (_res, socket) => resolve(new WsClient(socket)));
      req.on('response', (res) => reject(new Error(`no WebSocket upgrade: HTTP ${res.statusCode}`)));
      req.on('error', reject);
      req.end();
    });
  }

  private read(): void {
    for (;;) {
      if (this.buf.length < 2) return;
      const fin = (this.buf[0]! & 0x80) !== 0;
      const opcode = this.buf[0]! & 0x0f;
      let len = this.buf[1]! & 0x7f;
      let at = 2;
      if (len === 126) { if (this.buf.length < 4) return; len = this.buf.readUInt16BE(2); at = 4; }
      else if (len === 127) { if (this.buf.length < 10) return; len = Number(this.buf.readBigUInt64BE(2)); at = 10; }
      if (this.buf.length < at + len) return;
      const payload = this.buf.subarray(at, at + len);
      this.buf = this.buf.subarray(at + len);
      if (opcode === 1 || opcode === 0) {
        this.parts.push(Buffer.from(payload));
        if (fin) { const text = Buffer.concat(this.parts).toString('utf8'); this.parts = []; this.onText(text); }
      } else if (opcode === 8) {
        this.socket.end();
      }
    }
  }

  send(text: string): void {
    const payload = Buffer.from(text, 'utf8');
    const mask = randomBytes(4);
    const head = payload.length < 126 ? Buffer.from([0x81, 0x80 | payload.length])
      : payload.length < 65536 ? Buffer.from([0x81, 0x80 | 126, payload.length >> 8, payload.length & 0xff])
        : Buffer.concat([Buffer.from([0x81, 0x80 | 127]), (() => { const b = Buffer.alloc(8); b.writeBigUInt64BE(BigInt(payload.length)); return b; })()]);
    const masked = Buffer.alloc(payload.length);
    for (let i = 0; i < payload.length; i++) masked[i] = payload[i]! ^ mask[i % 4]!;
    this.socket.write(Buffer.concat([head, mask, masked]));
  }

  close(): void {
    this.socket.destroy();
  }
}

interface CdpReply { id?: number; result?: Record<string, unknown>; error?: { message: string } }

/** One page of a headless chromium of our own. */
export class Browser {
  private id = 0;
  private readonly waiting = new Map<number, (r: CdpReply) => void>();

  private constructor(private readonly proc: ChildProcess, private readonly ws: WsClient) {
    ws.onText = (text) => {
      const msg: CdpReply = JSON.parse(text);
      if (msg.id !== undefined) { this.waiting.get(msg.id)?.(msg); this.waiting.delete(msg.id); }
    };
  }

  /** Starts chromium headless (its profile in `profileDir`) and connects to its first page. */
  static async launch(profileDir: string): Promise<Browser> {
    const proc = spawn('chromium', ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--remote-debugging-port=0',
      `--user-data-dir=${profileDir}`, '--window-size=1200,900', 'about:blank'], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, HOME: profileDir } });
    const endpoint = await new Promise<string>((resolve, reject) => {
      let err = '';
      const timer = setTimeout(() => reject(new Error(`chromium did not start its DevTools server in 30 s:\n${err}`)), 30_000);
      proc.stderr!.on('data', (d: Buffer) => {
        err += d.toString();
        const m = /DevTools listening on (ws:\/\/\S+)/.exec(err);
        if (m) { clearTimeout(timer); resolve(m[1]!); }
      });
      proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`chromium ended (${code}):\n${err}`)); });
    });
    const port = new URL(endpoint).port;
    const targets: unknown = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
    const page = Array.isArray(targets) ? targets.find((t: { type?: string }) => t.type === 'page') : undefined;
    if (!page || typeof page.webSocketDebuggerUrl !== 'string') throw new Error(`chromium has no page: ${JSON.stringify(targets)}`);
    return new Browser(proc, await WsClient.connect(page.webSocketDebuggerUrl));
  }

  send(method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const id = ++this.id;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, (r) => (r.error ? reject(new Error(`${method}: ${r.error.message}`)) : resolve(r.result ?? {})));
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  async goto(url: string): Promise<void> {
    await this.send('Page.enable');
    await this.send('Page.navigate', { url });
  }

  /** The value of a JavaScript expression in the page (JSON-serialisable). */
  async evaluate(expression: string): Promise<unknown> {
    const r = await this.send('Runtime.evaluate', { expression, returnByValue: true });
    const result = r.result;
    return typeof result === 'object' && result !== null && 'value' in result ? result.value : undefined;
  }

  /** Waits (bounded) until the expression is truthy in the page; returns its value. */
  async waitFor(expression: string, timeoutMs = 15_000): Promise<unknown> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = await this.evaluate(expression);
      if (v) return v;
      if (Date.now() > deadline) throw new Error(`the page never showed ${expression}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** A PNG of the page. */
  async screenshot(): Promise<Buffer> {
    const r = await this.send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true });
    return Buffer.from(String(r.data), 'base64');
  }

  close(): Promise<void> {
    this.ws.close();
    return new Promise((resolve) => {
      if (this.proc.exitCode !== null) { resolve(); return; }
      this.proc.once('exit', () => resolve());
      this.proc.kill('SIGTERM');
    });
  }
}
