import { MicrocredError } from '../errors';

/**
 * One issuer a trust source vouches for: its id (a DID, an https URL, or a bare web domain such as `ut.ee`), and the
 * name, place and web address the source knows it by.
 */
export interface TrustedIssuer {
  id: string;
  name?: string;
  location?: string;
  url?: string;
}

/**
 * A list of issuers the caller trusts, from a plain JSON list or a DCC known-issuer registry (see
 * {@link parseTrustSource}). Its `name` is what a person reads: "confirmed by <name>".
 */
export interface TrustSource {
  /** Shown to people ("confirmed by DCC Community Registry"). */
  name: string;
  /** Where it came from: a plain list of ids/domains, or a DCC known-issuer registry. */
  kind: 'list' | 'registry';
  issuers: readonly TrustedIssuer[];
}

/**
 * The `trust` option of `verify`: who may confirm the issuer's identity. Confirmation never changes whether the
 * credential verifies; it decides whether the verdict may name the issuer as confirmed.
 */
export interface TrustOptions {
  /** Lists and registries of issuers, most authoritative first (the first that lists the issuer names it). */
  sources?: readonly TrustSource[];
  /**
   * Confirm issuers by their web domain (default false): a did:web or https issuer's key was read from a document on
   * its own host, so whoever controls that domain signed; any other DID counts when the web address the issuer gives
   * (`issuer.url`, https) publishes a DIF Well-Known DID Configuration linking it (fetched with `resolveDocument`).
   * The verdict then names the domain, not the name the credential claims.
   */
  webDomain?: boolean;
}

/** How the issuer's identity was confirmed, or why it was not: the `issuerTrust` of a verification report. */
export interface IssuerConfirmation {
  confirmed: boolean;
  /** The issuer id the confirmation is about. */
  issuer?: string;
  /** What confirmed it, in words ("DCC Community Registry", "the web domain ut.ee"). */
  by?: string;
  /** How: a trust source (list or registry) or the issuer's web domain. */
  method?: 'list' | 'registry' | 'web-domain';
  /** The source's own entry for the issuer (its name there, place, web address), when a source confirmed it. */
  entry?: TrustedIssuer;
  /** The web domain that confirmed it (method 'web-domain'). */
  domain?: string;
}

const MAX_TRUSTED_ISSUERS = 100_000;

/**
 * Reads a trust source: a plain list of issuer ids, DIDs or web domains (`{ "name": "…", "issuers": [ … ] }`, or a
 * bare array), whose entries are strings or `{ "id", "name"?, "location"?, "url"? }`; or a DCC known-issuer registry
 * (`{ "meta": …, "registry": { "<did>": { "name", "location", "url" } } }`, also with `entries` instead of
 * `registry`, as older files of `@digitalcredentials/issuer-registry-client` have it). The source's own `name` (or
 * its registry `meta.name`) names it; `options.name` when it has none (the file name or URL it came from).
 *
 * @throws MicrocredError INVALID_INPUT for anything else, with the JSON path of the offending value.
 */
export function parseTrustSource(json: unknown, options: { name?: string } = {}): TrustSource {
  const fallbackName = typeof options.name === 'string' && options.name.trim() ? options.name.trim() : undefined;
  if (Array.isArray(json)) return { name: fallbackName ?? 'a trust list', kind: 'list', issuers: readList(json, '$') };
  if (!isRecord(json))
    throw new MicrocredError(
      'INVALID_INPUT',
      'A trust source must be a JSON list of issuers or a known-issuer registry object',
      { path: '$' },
    );
  const registry = json.registry ?? json.entries;
  if (registry !== undefined) {
    const key = json.registry !== undefined ? 'registry' : 'entries';
    if (!isRecord(registry))
      throw new MicrocredError(
        'INVALID_INPUT',
        `A known-issuer registry's "${key}" must be an object keyed by issuer DID`,
        { path: `$.${key}` },
      );
    const meta = isRecord(json.meta) ? json.meta : undefined;
    const name = textOf(json.name) ?? textOf(meta?.name) ?? fallbackName ?? 'a known-issuer registry';
    const issuers: TrustedIssuer[] = [];
    for (const [id, entry] of Object.entries(registry)) {
      const path = `$.${key}[${JSON.stringify(id)}]`;
      if (!isIssuerId(id))
        throw new MicrocredError(
          'INVALID_INPUT',
          `Not an issuer id (a DID, https URL or web domain): ${JSON.stringify(id)}`,
          { path },
        );
      if (!isRecord(entry))
        throw new MicrocredError('INVALID_INPUT', 'A registry entry must be an object with name, location and url', {
          path,
        });
      issuers.push(entryOf(id, entry, path));
      if (issuers.length > MAX_TRUSTED_ISSUERS)
        throw new MicrocredError('INVALID_INPUT', `A trust source may list at most ${MAX_TRUSTED_ISSUERS} issuers`, {
          path: `$.${key}`,
        });
    }
    return { name, kind: 'registry', issuers };
  }
  if (Array.isArray(json.issuers)) {
    return {
      name: textOf(json.name) ?? fallbackName ?? 'a trust list',
      kind: 'list',
      issuers: readList(json.issuers, '$.issuers'),
    };
  }
  throw new MicrocredError(
    'INVALID_INPUT',
    'Not a trust source: expected { "issuers": [...] }, a bare list, or a known-issuer registry { "registry": { "<did>": {...} } }',
    { path: '$' },
  );
}

function readList(list: unknown[], at: string): TrustedIssuer[] {
  if (list.length > MAX_TRUSTED_ISSUERS)
    throw new MicrocredError('INVALID_INPUT', `A trust source may list at most ${MAX_TRUSTED_ISSUERS} issuers`, {
      path: at,
    });
  return list.map((item, i) => {
    const path = `${at}[${i}]`;
    if (typeof item === 'string') {
      if (!isIssuerId(item.trim()))
        throw new MicrocredError(
          'INVALID_INPUT',
          `Not an issuer id (a DID, https URL or web domain): ${JSON.stringify(item)}`,
          { path },
        );
      return { id: item.trim() };
    }
    if (!isRecord(item) || typeof item.id !== 'string' || !isIssuerId(item.id.trim())) {
      throw new MicrocredError(
        'INVALID_INPUT',
        'A trusted issuer must be an id string or an object with an "id" (a DID, https URL or web domain)',
        { path },
      );
    }
    return entryOf(item.id.trim(), item, path);
  });
}

function entryOf(id: string, entry: Record<string, unknown>, path: string): TrustedIssuer {
  const out: TrustedIssuer = { id };
  for (const key of ['name', 'location', 'url'] as const) {
    const value = entry[key];
    if (value === undefined) continue;
    if (typeof value !== 'string')
      throw new MicrocredError('INVALID_INPUT', `"${key}" must be a string`, { path: `${path}.${key}` });
    if (value.trim()) out[key] = value.trim();
  }
  return out;
}

const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/i;

/** A DID, an absolute http(s) URL, or a bare web domain (`ut.ee`). */
function isIssuerId(id: string): boolean {
  if (id.length === 0 || id.length > 2048) return false;
  if (/^did:[a-z0-9]+:\S+$/.test(id)) return true;
  if (DOMAIN.test(id)) return true;
  try {
    const url = new URL(id);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/**
 * The web domain that an issuer id's key documents come from: the host of a did:web (port included, as did:web
 * encodes it with %3A) or of an https URL. Undefined for other ids.
 */
export function webDomainOf(issuerId: string): string | undefined {
  if (issuerId.startsWith('did:web:')) {
    const host = issuerId.slice('did:web:'.length).split(':')[0]!;
    try {
      return decodeURIComponent(host).toLowerCase() || undefined;
    } catch {
      return undefined;
    }
  }
  if (issuerId.startsWith('https://')) {
    try {
      return new URL(issuerId).host.toLowerCase();
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * The entry of a source that names this issuer: its exact id, or a bare web domain equal to the issuer's own web
 * domain (a did:web host, an https issuer's host). A domain entry never matches a did:key, and `ut.ee` does not
 * match `evil.ut.ee.example` nor a subdomain.
 */
export function findTrustedIssuer(source: TrustSource, issuerId: string): TrustedIssuer | undefined {
  const domain = webDomainOf(issuerId);
  for (const entry of source.issuers) {
    if (entry.id === issuerId) return entry;
    if (domain !== undefined && DOMAIN.test(entry.id) && entry.id.toLowerCase() === domain) return entry;
  }
  return undefined;
}

/**
 * Who confirms the issuer: the first trust source that lists it, else (with `webDomain`) its own web domain. Only
 * asked once the signing key is shown to be the issuer's (the key binding check passed): a source vouches for an
 * issuer id, and only a bound key makes the credential that issuer's.
 */
export function confirmIssuer(issuerId: string, trust: TrustOptions): IssuerConfirmation {
  for (const source of trust.sources ?? []) {
    const entry = findTrustedIssuer(source, issuerId);
    if (entry) return { confirmed: true, issuer: issuerId, by: source.name, method: source.kind, entry };
  }
  if (trust.webDomain) {
    const domain = webDomainOf(issuerId);
    if (domain !== undefined)
      return { confirmed: true, issuer: issuerId, by: `the web domain ${domain}`, method: 'web-domain', domain };
  }
  return { confirmed: false, issuer: issuerId };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function textOf(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}
