import path from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import { didWebUrl, MicrocredError, parseTrustSource, type TrustSource, type VerifyOptions } from '../index';
import { createNodeFetchers } from '../node/index';
import { UsageError } from './command';
import { readJsonFile, statusListsFrom } from './files';

/**
 * The options every verifying command takes (`verify`, `verify-presentation`): where keys and status lists come
 * from, what is trusted, and how strict the status check is.
 */
export const VERIFIER_OPTIONS = {
  'status-dir': { type: 'string' },
  'status-optional': { type: 'boolean' },
  'max-status-list-age': { type: 'string' },
  jwks: { type: 'string' },
  now: { type: 'string' },
  'did-document': { type: 'string', multiple: true },
  offline: { type: 'boolean' },
  trust: { type: 'string', multiple: true },
  'allow-private-network': { type: 'boolean' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

/** The usage text of {@link VERIFIER_OPTIONS}. */
export const VERIFIER_USAGE =
  '[--trust file|url]… [--offline] [--allow-private-network] [--status-dir dir] [--status-optional] [--max-status-list-age seconds] [--jwks jwks.json] [--did-document did.json] [--now ISO]';

/** The verify options of a command line's {@link VERIFIER_OPTIONS}; a usage error for an unreadable value. */
export async function verifierOptions(values: Record<string, unknown>): Promise<VerifyOptions> {
  // An unreadable --now would switch every date check off: refuse it.
  if (values.now !== undefined && Number.isNaN(Date.parse(values.now as string)))
    throw new UsageError(`--now must be a date-time such as 2026-11-29T12:00:00Z, got ${JSON.stringify(values.now)}`);
  const maxListAge = values['max-status-list-age'] === undefined ? undefined : Number(values['max-status-list-age']);
  if (maxListAge !== undefined && !(Number.isFinite(maxListAge) && maxListAge >= 0))
    throw new UsageError(
      `--max-status-list-age is a number of seconds, got ${JSON.stringify(values['max-status-list-age'])}`,
    );
  return {
    ...(await onlineOptions({
      offline: values.offline === true,
      allowPrivateNetwork: values['allow-private-network'] === true,
      ...(values['status-dir'] ? { statusDir: values['status-dir'] as string } : {}),
      didDocuments: (values['did-document'] as string[] | undefined) ?? [],
      trust: (values.trust as string[] | undefined) ?? [],
    })),
    ...(values.now ? { now: new Date(values.now as string) } : {}),
    // Accepts a status that could not be checked, though the verdict still says it was not checked.
    ...(values['status-optional'] ? { statusCheck: 'optional' as const } : {}),
    ...(values.jwks ? { jwks: readJsonFile<{ keys: Record<string, unknown>[] }>(values.jwks as string) } : {}),
    // A status list published longer ago than this (or undated) does not count: a stale copy cannot un-revoke.
    ...(maxListAge !== undefined ? { maxStatusListAgeSeconds: maxListAge } : {}),
  };
}

/** What `verify` was told about the network and trust on its command line. */
export interface OnlineFlags {
  offline: boolean;
  allowPrivateNetwork: boolean;
  statusDir?: string;
  didDocuments: string[];
  trust: string[];
}

/**
 * The verify options for the command line: online by default (status lists and did:web / https documents fetched
 * with the Node fetchers: https only, no private addresses unless --allow-private-network, bounded), local copies
 * first where given (--status-dir, --did-document), and the trust sources of --trust (files or URLs).
 */
export async function onlineOptions(flags: OnlineFlags): Promise<VerifyOptions> {
  const fetchers = flags.offline
    ? undefined
    : onceEach(createNodeFetchers({ allowPrivateNetwork: flags.allowPrivateNetwork }));
  // Local copies only: a status list is looked up by its last path segment, a DID document by its id.
  const didDocuments = flags.didDocuments.map((f) => readJsonFile<{ id?: string }>(f));
  const localDocument = (url: string) =>
    didDocuments.find(
      (d) => typeof d.id === 'string' && (d.id.startsWith('did:web:') ? didWebUrl(d.id) === url : d.id === url),
    );
  const resolveDocument =
    didDocuments.length || fetchers
      ? async (url: string) => {
          const local = localDocument(url);
          if (local) return local;
          if (!fetchers) throw new MicrocredError('RESOLVER_ERROR', `no local DID document for ${url} (--offline)`);
          return fetchers.resolveDocument(url);
        }
      : undefined;
  const sources: TrustSource[] = [];
  for (const where of flags.trust) sources.push(await trustSource(where, flags));
  return {
    ...(resolveDocument ? { resolveDocument } : {}),
    ...(flags.statusDir
      ? { fetchStatusList: statusListsFrom(flags.statusDir) }
      : fetchers
        ? { fetchStatusList: fetchers.fetchStatusList }
        : {}),
    ...(fetchers ? { fetchResource: fetchers.fetchResource } : {}),
    ...(flags.allowPrivateNetwork ? { allowPrivateHosts: true } : {}),
    // A did:web issuer counts as its domain's only when its document came from that domain: online, and not from a
    // local copy the user supplied.
    trust: { sources, webDomain: !flags.offline && didDocuments.length === 0 },
  };
}

/** One --trust: a file, or an https URL fetched like any other document (refused with --offline). */
async function trustSource(where: string, flags: OnlineFlags): Promise<TrustSource> {
  const isUrl = /^https?:\/\//i.test(where);
  let json: unknown;
  if (isUrl) {
    if (flags.offline)
      throw new MicrocredError(
        'INVALID_INPUT',
        `--trust ${where} is a URL, and --offline fetches nothing: save it and give the file`,
      );
    json = await createNodeFetchers({ allowPrivateNetwork: flags.allowPrivateNetwork }).resolveDocument(where);
  } else {
    try {
      json = readJsonFile(where);
    } catch (e) {
      throw new MicrocredError('INVALID_INPUT', `--trust ${where}: ${(e as Error).message}`);
    }
  }
  try {
    return parseTrustSource(json, { name: isUrl ? where : path.basename(where) });
  } catch (e) {
    throw new MicrocredError('INVALID_INPUT', `--trust ${where}: ${(e as Error).message}`);
  }
}

type Fetchers = ReturnType<typeof createNodeFetchers>;

/**
 * Each URL asked once per command, its answer (or failure) shared by every file: a roster's 500 credentials name one
 * status list, one issuer document and one web domain, and a host that does not answer must not cost its timeout 500
 * times.
 */
function onceEach(fetchers: Fetchers): Fetchers {
  const memo = <T>(fn: (url: string) => Promise<T>): ((url: string) => Promise<T>) => {
    const answers = new Map<string, Promise<T>>();
    return (url) => {
      let answer = answers.get(url);
      if (answer === undefined) {
        answer = fn(url);
        answers.set(url, answer);
      }
      return answer;
    };
  };
  return {
    ...fetchers,
    resolveDocument: memo(fetchers.resolveDocument),
    fetchStatusList: memo(fetchers.fetchStatusList),
    fetchResource: memo(fetchers.fetchResource),
  };
}
