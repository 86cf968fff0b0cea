import { MicrocredError } from '../errors';
import { isPrivateHostUrl } from '../proof/host-guard';
import type { VerifyOptions } from './options';

/** Options of {@link createFetchers}. */
export interface FetchersOptions {
  /** The fetch to build on: `window.fetch` in a page, `nodeFetch` from `microcredentials/node` (DNS-checked) in Node. */
  fetch: typeof globalThis.fetch;
  /** Milliseconds one URL may take, redirects and body included (default 5,000). */
  timeoutMs?: number;
  /** Largest body accepted, in bytes (default 2 MiB): a bigger one is refused while it is read. */
  maxBytes?: number;
  /** Redirects followed per URL (default 3); each hop is checked like the first. */
  maxRedirects?: number;
  /**
   * Allow plain http and loopback, private and link-local hosts (default false). For tests against local servers
   * only: a credential names the URLs fetched, and a verifier must not be made to call its own network.
   */
  allowPrivateNetwork?: boolean;
  /**
   * Hosts (`host` or `host:port`, as in a URL) fetched even though they are private, over http too: a verifier's own
   * intranet status server, or a test server. Every other host stays refused, redirects included.
   */
  allowHosts?: readonly string[];
  /** Told every URL asked for, redirects included, before it is asked (a page lists them). */
  onRequest?: (url: string) => void;
}

/** The fetchers {@link createFetchers} builds: pass them to `verify` (spread into its options). */
export type Fetchers = Required<Pick<VerifyOptions, 'resolveDocument' | 'fetchStatusList' | 'fetchResource'>>;

/**
 * JSON media types: application/json, every `+json` type (did+json, did+ld+json, ld+json, vc+ld+json…), and VC DM
 * 2.0's `application/vc`.
 */
const JSON_TYPE = /^application\/(?:(?:[a-z0-9.!#$&^_+-]+\+)?json|vc)$/;
/** Status list credentials secured as JWTs (jwt, vc+jwt, statuslist+jwt…). */
const JWT_TYPE = /^application\/(?:[a-z0-9.!#$&^_+-]+\+)?jwt$/;

/**
 * Fetchers for the documents a credential names (DID documents and controller documents, status lists, related
 * resources), built on the fetch you pass, safe to point at URLs an attacker chose: https only, no loopback, private
 * or link-local hosts (unless `allowPrivateNetwork`), a time limit per URL, a size cap enforced while reading, at
 * most `maxRedirects` redirects each re-checked, no cookies, and the content type checked (JSON for documents; JSON
 * or a JWT for status lists). Isomorphic: no `node:` import. In a browser the host check sees names only; in Node
 * use `createNodeFetchers` from `microcredentials/node`, whose fetch also refuses names that resolve to private
 * addresses.
 *
 * @throws MicrocredError FETCH_REFUSED or FETCH_FAILED from the fetchers (verify turns these into failed checks).
 */
export function createFetchers(options: FetchersOptions): Fetchers {
  if (typeof options?.fetch !== 'function')
    throw new MicrocredError('INVALID_INPUT', 'createFetchers needs options.fetch');
  const settings = {
    fetch: options.fetch,
    timeoutMs: positive(options.timeoutMs, 5000, 'timeoutMs'),
    maxBytes: positive(options.maxBytes, 2 * 1024 * 1024, 'maxBytes'),
    maxRedirects: nonNegative(options.maxRedirects, 3, 'maxRedirects'),
    allowPrivateNetwork: options.allowPrivateNetwork === true,
    allowHosts: hostList(options.allowHosts),
    onRequest: options.onRequest,
  };
  return {
    resolveDocument: async (url) =>
      parseJson(
        await get(
          url,
          'application/did+ld+json, application/did+json, application/ld+json, application/json',
          settings,
          ['json'],
        ),
        url,
      ),
    fetchStatusList: async (url) => {
      const got = await get(
        url,
        'application/vc+ld+json, application/ld+json, application/json, application/vc+jwt',
        settings,
        ['json', 'jwt'],
      );
      return got.kind === 'jwt'
        ? new TextDecoder('utf-8', { fatal: false }).decode(got.bytes).trim()
        : parseJson(got, url);
    },
    fetchResource: async (url) => (await get(url, '*/*', settings, ['any'])).bytes,
  };
}

type Settings = {
  fetch: typeof globalThis.fetch;
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  allowPrivateNetwork: boolean;
  allowHosts: readonly string[];
  onRequest: ((url: string) => void) | undefined;
};
type Got = { bytes: Uint8Array; kind: 'json' | 'jwt' | 'any'; url: string };

/** Lower-cased `host[:port]` entries; anything else is misuse. */
export function hostList(hosts: unknown): readonly string[] {
  if (hosts === undefined) return [];
  if (!Array.isArray(hosts) || !hosts.every((h) => typeof h === 'string' && h.length > 0 && !/[\s/@]/.test(h)))
    throw new MicrocredError('INVALID_INPUT', 'allowHosts must be a list of host or host:port strings');
  return hosts.map((h: string) => h.toLowerCase());
}

/** Refuses a URL the settings do not allow (scheme, host), before anything is sent to it. */
export function assertFetchable(url: string, allowPrivateNetwork: boolean, allowHosts: readonly string[] = []): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new MicrocredError('FETCH_REFUSED', `Not fetching ${url}: not a URL`);
  }
  const listed = allowHosts.includes(parsed.host.toLowerCase()) || allowHosts.includes(parsed.hostname.toLowerCase());
  allowPrivateNetwork ||= listed;
  if (parsed.protocol !== 'https:' && !(allowPrivateNetwork && parsed.protocol === 'http:')) {
    throw new MicrocredError('FETCH_REFUSED', `Not fetching ${url}: only https URLs are fetched`);
  }
  if (parsed.username || parsed.password)
    throw new MicrocredError('FETCH_REFUSED', `Not fetching ${url}: a URL with credentials in it`);
  if (!allowPrivateNetwork && isPrivateHostUrl(parsed.href)) {
    throw new MicrocredError('FETCH_REFUSED', `Not fetching ${url}: it names a loopback, private or link-local host`);
  }
  return parsed;
}

async function get(url: string, accept: string, s: Settings, kinds: readonly Got['kind'][]): Promise<Got> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), s.timeoutMs);
  try {
    return await Promise.race([
      follow(url, accept, s, kinds, controller.signal),
      new Promise<never>((_, reject) =>
        controller.signal.addEventListener(
          'abort',
          () => reject(new MicrocredError('FETCH_FAILED', `Fetching ${url} took longer than ${s.timeoutMs} ms`)),
          { once: true },
        ),
      ),
    ]);
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

async function follow(
  url: string,
  accept: string,
  s: Settings,
  kinds: readonly Got['kind'][],
  signal: AbortSignal,
): Promise<Got> {
  let current = assertFetchable(url, s.allowPrivateNetwork, s.allowHosts).href;
  for (let hop = 0; ; hop++) {
    s.onRequest?.(current);
    let response: Response;
    try {
      response = await s.fetch(current, { redirect: 'manual', signal, credentials: 'omit', headers: { accept } });
    } catch (e) {
      if (e instanceof MicrocredError) throw e;
      throw new MicrocredError('FETCH_FAILED', `Fetching ${current} failed: ${(e as Error)?.message ?? String(e)}`);
    }
    if (response.type === 'opaqueredirect') {
      // A browser hides a manual redirect's target; let it follow, then judge where it ended (it saw every hop's
      // host itself, and a page's fetch cannot reach what the browser's own policy keeps private).
      response = await s.fetch(current, { redirect: 'follow', signal, credentials: 'omit', headers: { accept } });
      if (response.url && response.url !== current) {
        assertFetchable(response.url, s.allowPrivateNetwork, s.allowHosts);
        s.onRequest?.(response.url);
      }
    }
    if (response.status >= 300 && response.status < 400) {
      const location = response.headers.get('location');
      await response.body?.cancel().catch(() => undefined);
      if (!location)
        throw new MicrocredError('FETCH_FAILED', `${current} answered ${response.status} without a Location`);
      if (hop >= s.maxRedirects)
        throw new MicrocredError('FETCH_REFUSED', `Not following ${current}: more than ${s.maxRedirects} redirects`);
      current = assertFetchable(new URL(location, current).href, s.allowPrivateNetwork, s.allowHosts).href;
      continue;
    }
    if (response.status !== 200) {
      await response.body?.cancel().catch(() => undefined);
      throw new MicrocredError('FETCH_FAILED', `${current} answered HTTP ${response.status}`);
    }
    const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const kind: Got['kind'] | undefined = kinds.includes('any')
      ? 'any'
      : kinds.includes('json') && JSON_TYPE.test(type)
        ? 'json'
        : kinds.includes('jwt') && JWT_TYPE.test(type)
          ? 'jwt'
          : undefined;
    if (!kind) {
      await response.body?.cancel().catch(() => undefined);
      throw new MicrocredError(
        'FETCH_REFUSED',
        `Not reading ${current}: its content type is ${type ? `"${type}"` : 'missing'}, not ${kinds.join(' or ')}`,
      );
    }
    const declared = Number(response.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > s.maxBytes) {
      await response.body?.cancel().catch(() => undefined);
      throw new MicrocredError(
        'FETCH_REFUSED',
        `Not reading ${current}: ${declared} bytes is more than the ${s.maxBytes} allowed`,
      );
    }
    return { bytes: await readCapped(response, s.maxBytes, current), kind, url: current };
  }
}

/** Reads a body, stopping (and refusing) as soon as it passes `max` bytes, whatever Content-Length said. */
async function readCapped(response: Response, max: number, url: string): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel().catch(() => undefined);
      throw new MicrocredError('FETCH_REFUSED', `Not reading ${url}: more than the ${max} bytes allowed`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

function parseJson(got: Got, url: string): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(got.bytes)) as unknown;
  } catch (e) {
    throw new MicrocredError('FETCH_FAILED', `${url} is not JSON: ${(e as Error).message}`);
  }
}

function positive(value: unknown, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
    throw new MicrocredError('INVALID_INPUT', `createFetchers: ${name} must be a positive number`);
  return value;
}

function nonNegative(value: unknown, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
    throw new MicrocredError('INVALID_INPUT', `createFetchers: ${name} must be a whole number, 0 or more`);
  return value;
}
