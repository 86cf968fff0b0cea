import { isMicrocredError } from '../errors';
import type { Address, IdentifierEntry, Image, Profile } from '../model/ob';
import { countryByAlpha2 } from '../model/vocab/country';
import type { IssuerInput } from './inputs';
import { ProblemCollector } from './problems';

/**
 * An OB 3.0 issuer `Profile` with the country (and region) of Annex I element 3 in its address.
 * Throws one error listing every problem in the input.
 */
export function defineIssuer(input: IssuerInput): Profile {
  const problems = new ProblemCollector();
  const profile = buildProfile(input, '$', problems);
  problems.throwIfAny('The issuer profile is incomplete or invalid');
  return deepFreeze(profile);
}

export function buildProfile(input: IssuerInput, path: string, problems: ProblemCollector): Profile {
  if (typeof input !== 'object' || input === null) {
    problems.invalid(path, 'an issuer must be an object');
    return { id: '', type: ['Profile'] };
  }
  const id = problems.requireUri(input.id, `${path}.id`, 'issuer id');
  const name = problems.requireText(input.name, `${path}.name`, 'issuer name');
  const countryCode = problems.requireText(
    input.country,
    `${path}.country`,
    'country of the issuer (ISO 3166-1 alpha-2)',
  );
  let country: { notation?: string; label: string } | undefined;
  if (countryCode !== undefined) {
    try {
      country = countryByAlpha2(countryCode);
    } catch (e) {
      if (!isMicrocredError(e)) throw e;
      problems.invalid(`${path}.country`, e.message);
    }
  }
  const address: Address = { type: ['Address'] };
  if (country) {
    address.addressCountry = country.label;
    address.addressCountryCode = country.notation ?? countryCode!.toUpperCase();
  }
  const region = problems.optionalText(input.region, `${path}.region`, 'region');
  if (region) address.addressRegion = region;
  const locality = problems.optionalText(input.locality, `${path}.locality`, 'locality');
  if (locality) address.addressLocality = locality;
  const street = problems.optionalText(input.streetAddress, `${path}.streetAddress`, 'street address');
  if (street) address.streetAddress = street;
  const postalCode = problems.optionalText(input.postalCode, `${path}.postalCode`, 'postal code');
  if (postalCode) address.postalCode = postalCode;

  const profile: Profile = { id: id ?? '', type: ['Profile'], ...(name ? { name } : {}) };
  const url = problems.optionalUri(input.url, `${path}.url`, 'url');
  if (url) profile.url = url;
  const email = problems.optionalText(input.email, `${path}.email`, 'email');
  if (email) {
    if (!/^[^\s@]+@[^\s@]+$/.test(email))
      problems.invalid(`${path}.email`, `not an email address: ${JSON.stringify(email)}`);
    else profile.email = email;
  }
  const phone = problems.optionalText(input.phone, `${path}.phone`, 'phone');
  if (phone) profile.phone = phone;
  const description = problems.optionalText(input.description, `${path}.description`, 'description');
  if (description) profile.description = description;
  const image = buildImage(input.image, `${path}.image`, problems);
  if (image) profile.image = image;
  profile.address = address;
  if (input.otherIdentifiers !== undefined) {
    if (!Array.isArray(input.otherIdentifiers)) problems.invalid(`${path}.otherIdentifiers`, 'must be a list');
    else {
      const entries: IdentifierEntry[] = [];
      input.otherIdentifiers.forEach((entry, i) => {
        const p = `${path}.otherIdentifiers[${i}]`;
        const identifier = problems.requireText(entry?.identifier, `${p}.identifier`, 'identifier');
        const identifierType = problems.requireText(entry?.identifierType, `${p}.identifierType`, 'identifier type');
        if (identifierType && !isIdentifierType(identifierType)) {
          problems.invalid(
            `${p}.identifierType`,
            `"${identifierType}" is not an OB 3.0 identifier type; custom types start with "ext:"`,
          );
        } else if (identifier && identifierType) entries.push({ type: 'IdentifierEntry', identifier, identifierType });
      });
      if (entries.length) profile.otherIdentifier = entries;
    }
  }
  if (input.parentOrg !== undefined) profile.parentOrg = input.parentOrg;
  return profile;
}

export function buildImage(value: unknown, path: string, problems: ProblemCollector): Image | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') {
    const id = problems.optionalUri(value, path, 'image');
    return id ? { id, type: 'Image' } : undefined;
  }
  if (typeof value === 'object') {
    const v = value as { id?: unknown; caption?: unknown };
    const id = problems.requireUri(v.id, `${path}.id`, 'image id');
    const caption = problems.optionalText(v.caption, `${path}.caption`, 'caption');
    return id ? { id, type: 'Image', ...(caption ? { caption } : {}) } : undefined;
  }
  problems.invalid(path, 'image must be a URL/data URI or { id, caption }');
  return undefined;
}

const IDENTIFIER_TYPES = new Set([
  'name',
  'sourcedId',
  'systemId',
  'productId',
  'userName',
  'accountId',
  'emailAddress',
  'nationalIdentityNumber',
  'isbn',
  'issn',
  'lisSourcedId',
  'oneRosterSourcedId',
  'sisSourcedId',
  'ltiContextId',
  'ltiDeploymentId',
  'ltiToolId',
  'ltiPlatformId',
  'ltiUserId',
  'identifier',
]);

export function isIdentifierType(value: string): boolean {
  return IDENTIFIER_TYPES.has(value) || /^ext:[A-Za-z0-9.\-_]+$/.test(value);
}

/** Builders return frozen values: a definition is shared by every credential awarded from it. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  }
  return value;
}
