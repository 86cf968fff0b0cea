import type { IssuerInput } from '../builders/inputs';
import type { Profile } from '../model/ob';

/** The issuer a definition file names, merged with the workspace's own, and what could not be merged. */
export interface IssuerForDefinition {
  /** The workspace's issuer (its DID, name and country always), completed with the definition's other details. */
  issuer: IssuerInput;
  /** Details the definition gives that differ from the workspace's (the workspace's are used), in plain words. */
  conflicts: string[];
  /** Set when the definition names another issuer altogether: none of its details were used. */
  otherIssuer?: string;
}

/** The issuer input a profile was made from (the inverse of `defineIssuer`), so it can be defined again. */
export function issuerInputOf(profile: Profile): IssuerInput {
  const a = profile.address;
  const image =
    typeof profile.image === 'string'
      ? profile.image
      : profile.image
        ? { id: profile.image.id, ...(profile.image.caption ? { caption: profile.image.caption } : {}) }
        : undefined;
  return {
    id: profile.id,
    name: profile.name ?? '',
    country: (a?.addressCountryCode ?? '') as IssuerInput['country'],
    ...(a?.addressRegion ? { region: a.addressRegion } : {}),
    ...(a?.addressLocality ? { locality: a.addressLocality } : {}),
    ...(a?.streetAddress ? { streetAddress: a.streetAddress } : {}),
    ...(a?.postalCode ? { postalCode: a.postalCode } : {}),
    ...(profile.url ? { url: profile.url } : {}),
    ...(profile.email ? { email: profile.email } : {}),
    ...(profile.phone ? { phone: profile.phone } : {}),
    ...(profile.description ? { description: profile.description } : {}),
    ...(image ? { image } : {}),
    ...(profile.otherIdentifier?.length
      ? {
          otherIdentifiers: profile.otherIdentifier.map((e) => ({
            identifier: e.identifier,
            identifierType: e.identifierType,
          })),
        }
      : {}),
    ...(profile.parentOrg ? { parentOrg: profile.parentOrg } : {}),
  };
}

/** Details a definition may add to the workspace's issuer; its id, name and country are the workspace's own. */
const DETAILS = [
  'region',
  'locality',
  'streetAddress',
  'postalCode',
  'url',
  'email',
  'phone',
  'description',
  'image',
  'otherIdentifiers',
] as const;

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
const plain = (s: string): string => s.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * The issuer for credentials issued from a definition file: always the workspace's issuer (the key's DID signs), with
 * the address, web address, e-mail and other identifiers the definition gives when the definition names this issuer
 * (the workspace's DID or web address as its id, or the same name). A detail both give differently is reported in
 * `conflicts`, never silently dropped; a definition naming another issuer is reported in `otherIssuer`.
 */
export function issuerForDefinition(workspaceIssuer: Profile, definitionIssuer: unknown): IssuerForDefinition {
  const issuer = issuerInputOf(workspaceIssuer);
  if (typeof definitionIssuer !== 'object' || definitionIssuer === null) return { issuer, conflicts: [] };
  const d = definitionIssuer as Partial<Record<keyof IssuerInput, unknown>>;
  const names = typeof d.name === 'string' && plain(d.name) === plain(issuer.name);
  const ids = typeof d.id === 'string' && (d.id === issuer.id || (issuer.url !== undefined && d.id === issuer.url));
  if (!names && !ids) {
    return {
      issuer,
      conflicts: [],
      otherIssuer: `the definition names the issuer ${JSON.stringify(d.name ?? d.id)}, but this workspace issues as ${JSON.stringify(issuer.name)}; its issuer details were not used`,
    };
  }
  const conflicts: string[] = [];
  if (typeof d.country === 'string' && d.country.toUpperCase() !== issuer.country.toUpperCase()) {
    conflicts.push(
      `country: the definition says ${d.country}, the workspace ${issuer.country} (the workspace's is used)`,
    );
  }
  const merged: Record<string, unknown> = { ...issuer };
  for (const field of DETAILS) {
    const given = d[field];
    if (given === undefined || given === null || given === '') continue;
    if (merged[field] === undefined) merged[field] = given;
    else if (!same(merged[field], given))
      conflicts.push(
        `${field}: the definition says ${JSON.stringify(given)}, the workspace ${JSON.stringify(merged[field])} (the workspace's is used)`,
      );
  }
  return { issuer: merged as unknown as IssuerInput, conflicts };
}
