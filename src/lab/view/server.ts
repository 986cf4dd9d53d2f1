// `lab view`'s HTTP server (node:http, no framework): the page, a stream of
// server-sent events (the live link state, each connectivity result), one
// namespace's addresses and routes on demand, and a connectivity run. It
// listens on 127.0.0.1 only, or on a Unix socket (the rootless case, where
// the lab's network namespace is not the host's: lab-userns.ts relays).
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { formatMatrix, formatNamespaces } from '../format.js';
import { toSvg } from '../graph-svg.js';
import { namespaceState } from '../kernel/inspect.js';
import type { Lab } from '../lab.js';
import { LiveLabState } from './live.js';
import { viewPage } from './page.js';

export interface ViewServer {
  /** "http://127.0.0.1:PORT/", or the socket's path. */
  url: string;
  live: LiveLabState;
  close(): Promise<void>;
}

export async function serveLab(lab: Lab, listen: { port: number } | { path: string }, intervalMs = 1000): Promise<ViewServer> {
  const live = await LiveLabState.start(lab, intervalMs);
  const page = viewPage(lab.name, toSvg(lab.description), live.namespaces);
  const streams = new Set<ServerResponse>();
  let lastPing: string | undefined;
  let pinging = false;
  const send = (res: ServerResponse, event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  live.onChange((s) => { for (const res of streams) send(res, 'state', s); });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(page);
    } else if (req.method === 'GET' && url.pathname === '/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      streams.add(res);
      req.on('close', () => streams.delete(res));
      send(res, 'state', live.snapshot());
      if (lastPing !== undefined) send(res, 'ping', { text: lastPing });
    } else if (req.method === 'GET' && url.pathname === '/namespace') {
      const ns = url.searchParams.get('ns') ?? '';
      const nl = live.client(ns);
      if (!nl) {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(`no namespace ${ns} in lab ${lab.name}\n`);
        return;
      }
      const state = await namespaceState(nl, {}, undefined);
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(`${formatNamespaces([{ ns, state }])}\n`);
    } else if (req.method === 'POST' && url.pathname === '/ping') {
      res.writeHead(202).end();
      if (pinging) return;
      pinging = true;
      try {
        lastPing = formatMatrix(await lab.connectivity());
      } catch (e) {
        lastPing = `connectivity failed: ${e instanceof Error ? e.message : String(e)}`;
      } finally {
        pinging = false;
      }
      for (const s of streams) send(s, 'ping', { text: lastPing });
    } else {
      res.writeHead(404).end();
    }
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`${e instanceof Error ? e.message : String(e)}\n`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    if ('path' in listen) server.listen(listen.path, resolve);
    else server.listen(listen.port, '127.0.0.1', resolve);
  });
  const addr = server.address();
  const url = addr !== null && typeof addr === 'object' ? `http://127.0.0.1:${addr.port}/` : String(addr);
  return {
    url,
    live,
    close: () => new Promise<void>((resolve) => {
      live.close();
      for (const res of streams) res.end();
      streams.clear();
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
