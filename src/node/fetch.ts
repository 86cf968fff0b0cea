import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import { MicrocredError } from '../errors';
import { isPrivateHostUrl } from '../proof/host-guard';
import { assertFetchable, createFetchers, hostList, type Fetchers, type FetchersOptions } from '../verify/fetchers';

/** Options of {@link nodeFetch}. */
export interface NodeFetchOptions {
  /** Connect to loopback, private and link-local addresses too (default false; for tests against local servers). */
  allowPrivateNetwork?: boolean;
  /** Hosts (`host` or `host:port`) connected to even when private (see FetchersOptions.allowHosts). */
  allowHosts?: readonly string[];
  /** The DNS lookup to guard (default `dns.lookup`): a custom resolver, or a test's. */
  lookup?: typeof dns.lookup;
}

/** Whether an IP address (v4 or v6, as DNS returns it) is one a verifier must not be made to connect to. */
function isPrivateAddress(address: string): boolean {
  return isPrivateHostUrl(address.includes(':') ? `https://[${address}]/` : `https://${address}/`);
}

/**
 * A DNS lookup that refuses the connection when the name resolves to a loopback, private or link-local address (any
 * of its addresses): the check happens where the socket connects, so a name that resolves to a public address when
 * checked and a private one when used (DNS rebinding) cannot slip through.
 */
function guardedLookup(
  allowPrivateNetwork: boolean,
  allowHosts: readonly string[],
  resolve: typeof dns.lookup,
): LookupFunction {
  return ((
    hostname: string,
    options: dns.LookupOptions,
    callback: (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void,
  ) => {
    resolve(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses as dns.LookupAddress[];
      const refused =
        allowPrivateNetwork || allowHosts.includes(hostname.toLowerCase())
          ? undefined
          : list.find((a) => isPrivateAddress(a.address));
      if (refused) {
        return callback(
          Object.assign(
            new MicrocredError(
              'FETCH_REFUSED',
              `Not connecting to ${hostname}: it resolves to ${refused.address}, a loopback, private or link-local address`,
            ),
            { errno: 0, syscall: 'lookup' },
          ) as unknown as NodeJS.ErrnoException,
          '',
          0,
        );
      }
      if (list.length === 0)
        return callback(
          new MicrocredError('FETCH_FAILED', `${hostname} has no address`) as unknown as NodeJS.ErrnoException,
          '',
          0,
        );
      if (options.all) return callback(null, list);
      return callback(null, list[0]!.address, list[0]!.family);
    });
  }) as LookupFunction;
}

/**
 * A `fetch` for Node that never connects to loopback, private or link-local addresses (unless
 * `allowPrivateNetwork`): IP literals are refused before connecting, and names are checked on every address they
 * resolve to, at connection time. It never follows redirects itself (a 3xx comes back with its Location, for
 * {@link createFetchers} to re-check), sends no cookies and no credentials. GET only.
 */
export function nodeFetch(options: NodeFetchOptions = {}): typeof globalThis.fetch {
  const allowPrivateNetwork = options.allowPrivateNetwork === true;
  const allowHosts = hostList(options.allowHosts);
  const lookup = guardedLookup(
    allowPrivateNetwork,
    allowHosts.map((h) => new URL(`http://${h}`).hostname),
    options.lookup ?? dns.lookup,
  );
  return (async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = assertFetchable(
      typeof input === 'string' || input instanceof URL ? String(input) : input.url,
      allowPrivateNetwork,
      allowHosts,
    );
    if ((init.method ?? 'GET').toUpperCase() !== 'GET')
      throw new MicrocredError('INVALID_INPUT', 'nodeFetch only sends GET requests');
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, name) => {
      headers[name] = value;
    });
    // Identity encoding only: the size cap counts the bytes that arrive, and a compressed body could be a bomb.
    headers['accept-encoding'] = 'identity';
    const client = url.protocol === 'https:' ? https : http;
    return new Promise<Response>((resolve, reject) => {
      const request = client.request(
        url,
        { method: 'GET', headers, lookup, agent: false, ...(init.signal ? { signal: init.signal } : {}) },
        (res) => {
          const status = res.statusCode ?? 0;
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            if (value === undefined) continue;
            for (const v of Array.isArray(value) ? value : [value]) responseHeaders.append(name, v);
          }
          const nullBody = status === 204 || status === 205 || status === 304 || status < 200 || status > 599;
          if (nullBody) res.resume();
          try {
            resolve(
              new Response(nullBody ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>), {
                status: status < 200 || status > 599 ? 502 : status,
                headers: responseHeaders,
              }),
            );
          } catch (e) {
            res.destroy();
            reject(e);
          }
        },
      );
      request.on('error', (e) =>
        reject(
          e instanceof MicrocredError
            ? e
            : new MicrocredError('FETCH_FAILED', `Fetching ${url.href} failed: ${e.message}`),
        ),
      );
      request.end();
    });
  }) as typeof globalThis.fetch;
}

/**
 * {@link createFetchers} on {@link nodeFetch}: the fetchers the `microcred` command line uses to check credentials
 * online (DID documents, status lists, related resources), bounded and refusing private networks at DNS level.
 */
export function createNodeFetchers(
  options: Omit<FetchersOptions, 'fetch'> & Pick<NodeFetchOptions, 'lookup'> = {},
): Fetchers {
  const { lookup, ...rest } = options;
  return createFetchers({
    ...rest,
    fetch: nodeFetch({
      allowPrivateNetwork: options.allowPrivateNetwork === true,
      ...(options.allowHosts ? { allowHosts: options.allowHosts } : {}),
      ...(lookup ? { lookup } : {}),
    }),
  });
}
