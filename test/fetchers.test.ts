import { describe, expect, it } from 'vitest';
import { createFetchers } from '../src';

// createFetchers (src/verify/fetchers.ts): the isomorphic guard around a caller's fetch. Every refusal is pinned by
// its code; a stub fetch stands for the network, so what would have been asked is visible.
type Reply = { status?: number; type?: string; body?: string | Uint8Array; location?: string; length?: string };
function stub(replies: Record<string, Reply>) {
  const asked: string[] = [];
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input);
    asked.push(url);
    expect(init?.redirect).toBe('manual');
    const r = replies[url];
    if (!r) throw new TypeError(`no route ${url}`);
    const headers = new Headers();
    if (r.type) headers.set('content-type', r.type);
    if (r.location) headers.set('location', r.location);
    if (r.length) headers.set('content-length', r.length);
    return new Response(r.status && r.status >= 300 && r.status < 400 ? null : ((r.body ?? '') as BodyInit), {
      status: r.status ?? 200,
      headers,
    });
  }) as typeof globalThis.fetch;
  return { fetch, asked };
}

describe('createFetchers', () => {
  it('fetches a DID document and a status list, reporting each URL asked', async () => {
    const seen: string[] = [];
    const { fetch } = stub({
      'https://ut.example/.well-known/did.json': { type: 'application/did+json', body: '{"id":"did:web:ut.example"}' },
      'https://ut.example/status/1': {
        type: 'application/vc+ld+json; charset=utf-8',
        body: '{"type":["VerifiableCredential"]}',
      },
    });
    const f = createFetchers({ fetch, onRequest: (u) => seen.push(u) });
    expect(await f.resolveDocument('https://ut.example/.well-known/did.json')).toEqual({ id: 'did:web:ut.example' });
    expect(await f.fetchStatusList('https://ut.example/status/1')).toEqual({ type: ['VerifiableCredential'] });
    expect(seen).toEqual(['https://ut.example/.well-known/did.json', 'https://ut.example/status/1']);
  });

  it.each([
    ['plain http', 'http://ut.example/did.json'],
    ['a loopback address', 'https://127.0.0.1/did.json'],
    ['a private address', 'https://10.1.2.3/did.json'],
    ['cloud metadata (link-local)', 'https://169.254.169.254/latest'],
    ['localhost', 'https://localhost/x'],
    ['credentials in the URL', 'https://user:pw@ut.example/x'],
  ])('refuses %s before asking anything (FETCH_REFUSED)', async (_what, url) => {
    const { fetch, asked } = stub({});
    await expect(createFetchers({ fetch }).resolveDocument(url)).rejects.toMatchObject({ code: 'FETCH_REFUSED' });
    expect(asked).toEqual([]);
  });

  it('a redirect to a private address is refused at that hop', async () => {
    const { fetch, asked } = stub({ 'https://ut.example/a': { status: 302, location: 'https://192.168.1.1/admin' } });
    await expect(createFetchers({ fetch }).resolveDocument('https://ut.example/a')).rejects.toMatchObject({
      code: 'FETCH_REFUSED',
    });
    expect(asked).toEqual(['https://ut.example/a']);
  });

  it('follows at most maxRedirects redirects', async () => {
    const { fetch } = stub({
      'https://ut.example/1': { status: 301, location: '/2' },
      'https://ut.example/2': { status: 301, location: '/3' },
      'https://ut.example/3': { type: 'application/json', body: '{}' },
    });
    expect(await createFetchers({ fetch, maxRedirects: 2 }).resolveDocument('https://ut.example/1')).toEqual({});
    await expect(
      createFetchers({ fetch, maxRedirects: 1 }).resolveDocument('https://ut.example/1'),
    ).rejects.toMatchObject({ code: 'FETCH_REFUSED' });
  });

  it('refuses a body over maxBytes, whether or not Content-Length says so', async () => {
    const big = '{"x":"' + 'a'.repeat(2000) + '"}';
    const { fetch } = stub({
      'https://ut.example/said': { type: 'application/json', body: big, length: String(big.length) },
      'https://ut.example/unsaid': { type: 'application/json', body: new TextEncoder().encode(big) },
    });
    const f = createFetchers({ fetch, maxBytes: 1000 });
    await expect(f.resolveDocument('https://ut.example/said')).rejects.toMatchObject({ code: 'FETCH_REFUSED' });
    await expect(f.resolveDocument('https://ut.example/unsaid')).rejects.toMatchObject({ code: 'FETCH_REFUSED' });
  });

  it('refuses a document that is not JSON by its content type', async () => {
    const { fetch } = stub({ 'https://ut.example/page': { type: 'text/html', body: '{}' } });
    await expect(createFetchers({ fetch }).resolveDocument('https://ut.example/page')).rejects.toMatchObject({
      code: 'FETCH_REFUSED',
    });
  });

  it('an HTTP error is FETCH_FAILED', async () => {
    const { fetch } = stub({ 'https://ut.example/gone': { status: 404, type: 'application/json', body: '{}' } });
    await expect(createFetchers({ fetch }).resolveDocument('https://ut.example/gone')).rejects.toMatchObject({
      code: 'FETCH_FAILED',
    });
  });

  it('a fetch that never answers is abandoned after timeoutMs (FETCH_FAILED)', async () => {
    const fetch = (() => new Promise<Response>(() => {})) as unknown as typeof globalThis.fetch;
    await expect(
      createFetchers({ fetch, timeoutMs: 50 }).resolveDocument('https://ut.example/slow'),
    ).rejects.toMatchObject({ code: 'FETCH_FAILED' });
  });

  it('allowPrivateNetwork lets tests reach loopback over http', async () => {
    const { fetch } = stub({ 'http://127.0.0.1:8080/x': { type: 'application/json', body: '[1]' } });
    expect(
      await createFetchers({ fetch, allowPrivateNetwork: true }).resolveDocument('http://127.0.0.1:8080/x'),
    ).toEqual([1]);
  });
});
