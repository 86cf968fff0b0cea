import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNodeFetchers } from '../src/node';

// The Node fetchers (src/node/fetch.ts) against real servers on 127.0.0.1: loopback is refused by default (by URL,
// and by DNS for a name that resolves there), reachable only with the opt-in, and every attacker's trick a server can
// play — redirecting to a private address, an endless body, a body that never ends, HTML for JSON — is refused.
type Route = (req: http.IncomingMessage, res: http.ServerResponse) => void;
interface TestServer {
  url: string;
  host: string;
  port: number;
  requests: string[];
  connections: number;
  close: () => Promise<void>;
}

async function serve(routes: Record<string, Route>): Promise<TestServer> {
  const state = { requests: [] as string[], connections: 0 };
  const server = http.createServer((req, res) => {
    state.requests.push(req.url ?? '');
    const route = routes[req.url ?? ''];
    if (route) route(req, res);
    else res.writeHead(404).end();
  });
  server.on('connection', () => state.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    port,
    get requests() {
      return state.requests;
    },
    get connections() {
      return state.connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const json =
  (body: unknown, type = 'application/json'): Route =>
  (_req, res) => {
    res.writeHead(200, { 'content-type': type }).end(JSON.stringify(body));
  };

let a: TestServer;
let b: TestServer;
beforeAll(async () => {
  b = await serve({ '/doc': json({ from: 'b' }) });
  a = await serve({
    '/doc': json({ id: 'did:web:example' }, 'application/did+json'),
    '/html': json({ x: 1 }, 'text/html'),
    '/to-b': (_req, res) => {
      res.writeHead(302, { location: `${b.url}/doc` }).end();
    },
    '/to-metadata': (_req, res) => {
      res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
    },
    '/loop': (_req, res) => {
      res.writeHead(302, { location: '/loop' }).end();
    },
    '/hop1': (_req, res) => {
      res.writeHead(301, { location: '/doc' }).end();
    },
    '/huge': (_req, res) => {
      // No Content-Length: the cap must hold while reading.
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const push = () => {
        while (sent < 64 && res.write(chunk)) sent++;
        if (sent < 64) res.once('drain', push);
        else res.end();
      };
      push();
    },
    '/slow': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"a":');
      const timer = setInterval(() => res.write(' '), 50);
      res.on('close', () => clearInterval(timer));
    },
  });
});
afterAll(async () => {
  await a.close();
  await b.close();
});

describe('createNodeFetchers', () => {
  it('refuses loopback by default, before connecting', async () => {
    const f = createNodeFetchers();
    await expect(f.resolveDocument(`${a.url}/doc`)).rejects.toMatchObject({ code: 'FETCH_REFUSED' });
    await expect(f.resolveDocument(`https://127.0.0.1:${a.port}/doc`)).rejects.toMatchObject({ code: 'FETCH_REFUSED' });
    expect(a.connections).toBe(0);
  });

  it('refuses a public-looking name that resolves to loopback, at DNS time, before connecting', async () => {
    const before = a.connections;
    const lookup = ((_host: string, _o: unknown, cb: (e: null, a: { address: string; family: number }[]) => void) =>
      cb(null, [{ address: '127.0.0.1', family: 4 }])) as never;
    const f = createNodeFetchers({ lookup });
    await expect(f.resolveDocument(`https://rebind.example:${a.port}/doc`)).rejects.toMatchObject({
      code: 'FETCH_REFUSED',
      message: expect.stringMatching(/resolves to 127\.0\.0\.1/),
    });
    expect(a.connections).toBe(before);
  });

  it('reaches a loopback server with allowPrivateNetwork, listing each URL asked', async () => {
    const asked: string[] = [];
    const f = createNodeFetchers({ allowPrivateNetwork: true, onRequest: (u) => asked.push(u) });
    expect(await f.resolveDocument(`${a.url}/hop1`)).toEqual({ id: 'did:web:example' });
    expect(asked).toEqual([`${a.url}/hop1`, `${a.url}/doc`]);
  });

  it('a redirect from an allowed host to another private address is refused at that hop; the other is never asked', async () => {
    const f = createNodeFetchers({ allowHosts: [a.host] });
    expect(await f.resolveDocument(`${a.url}/doc`)).toEqual({ id: 'did:web:example' });
    const before = b.requests.length;
    await expect(f.resolveDocument(`${a.url}/to-b`)).rejects.toMatchObject({ code: 'FETCH_REFUSED' });
    await expect(f.resolveDocument(`${a.url}/to-metadata`)).rejects.toMatchObject({ code: 'FETCH_REFUSED' });
    expect(b.requests.length).toBe(before);
  });

  it('stops after maxRedirects', async () => {
    await expect(
      createNodeFetchers({ allowPrivateNetwork: true, maxRedirects: 3 }).resolveDocument(`${a.url}/loop`),
    ).rejects.toMatchObject({ code: 'FETCH_REFUSED', message: expect.stringMatching(/more than 3 redirects/) });
  });

  it('refuses an oversized body while reading it (no Content-Length)', async () => {
    await expect(
      createNodeFetchers({ allowPrivateNetwork: true, maxBytes: 256 * 1024 }).fetchStatusList(`${a.url}/huge`),
    ).rejects.toMatchObject({ code: 'FETCH_REFUSED', message: expect.stringMatching(/more than the 262144 bytes/) });
  });

  it('abandons a body that never ends after timeoutMs', async () => {
    const started = Date.now();
    await expect(
      createNodeFetchers({ allowPrivateNetwork: true, timeoutMs: 300 }).resolveDocument(`${a.url}/slow`),
    ).rejects.toMatchObject({ code: 'FETCH_FAILED' });
    // The body never ends, so without the timeout this waits for the test's own timeout. The bound is far from 300 ms
    // because a loaded CI machine can leave this process without a core for seconds.
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('refuses a document served as HTML', async () => {
    await expect(
      createNodeFetchers({ allowPrivateNetwork: true }).resolveDocument(`${a.url}/html`),
    ).rejects.toMatchObject({ code: 'FETCH_REFUSED', message: expect.stringMatching(/text\/html/) });
  });

  it('an HTTP error is FETCH_FAILED', async () => {
    await expect(
      createNodeFetchers({ allowPrivateNetwork: true }).resolveDocument(`${a.url}/missing`),
    ).rejects.toMatchObject({ code: 'FETCH_FAILED', message: expect.stringMatching(/HTTP 404/) });
  });
});
