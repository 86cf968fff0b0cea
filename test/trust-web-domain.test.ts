import { describe, expect, it } from 'vitest';
import { award, defineIssuer, didWebDocument, didWebUrl, generateKey, issue, verify, type VerifyOptions } from '../src';
import { DID_CONFIGURATION_CONTEXT } from '../src/verify/domain-linkage';
import { reiProgramme } from '../examples/rei-programme';

// Confirming an issuer by its web domain (trust.webDomain): a did:web issuer by its own host; any other DID by a DIF
// Well-Known DID Configuration on the web address it claims. Everything is fetched through the caller's
// resolveDocument, stubbed here so that what would have been asked is visible.
const NOW = new Date('2026-11-29T12:00:00Z');
const learner = { email: 'mari@example.ee', salt: 'salt-of-mari-0001' };
const VC_V2 = 'https://www.w3.org/ns/credentials/v2';

async function credentialOf(key: ReturnType<typeof generateKey>, issuerId: string, url?: string) {
  const issuer = defineIssuer({
    id: issuerId,
    name: 'University of Tartu',
    country: 'EE',
    ...(url ? { url } : {}),
  } as never);
  return issue(award(reiProgramme.parts[0]!, { issuer, learner, grade: 'B', awardedOn: '2024-01-26' }), {
    key,
    created: '2024-01-26T00:00:00Z',
  });
}

// The library signs VC 2.0 only; a VC 1.1 linkage (the specification's examples) is read the same way.
async function linkage(
  signer: ReturnType<typeof generateKey>,
  did: string,
  origin: string,
  o: { issuer?: string; expired?: boolean; format?: 'vc-jwt' } = {},
) {
  return issue(
    {
      '@context': [VC_V2, DID_CONFIGURATION_CONTEXT],
      issuer: o.issuer ?? did,
      validFrom: '2024-01-01T00:00:00Z',
      validUntil: o.expired ? '2025-01-01T00:00:00Z' : '2030-01-01T00:00:00Z',
      type: ['VerifiableCredential', 'DomainLinkageCredential'],
      credentialSubject: { id: did, origin },
    },
    {
      key: signer,
      created: '2024-01-01T00:00:00Z',
      ...(o.format ? { format: o.format } : {}),
      contexts: {
        [DID_CONFIGURATION_CONTEXT]: {
          '@context': {
            '@version': 1.1,
            '@protected': true,
            DomainLinkageCredential:
              'https://identity.foundation/.well-known/resources/did-configuration/#DomainLinkageCredential',
            origin: 'https://identity.foundation/.well-known/resources/did-configuration/#origin',
            LinkedDomains: 'https://identity.foundation/.well-known/resources/did-configuration/#LinkedDomains',
            linked_dids: 'https://identity.foundation/.well-known/resources/did-configuration/#linked_dids',
          },
        },
      },
      allowForeignController: o.issuer !== undefined,
    },
  );
}

function serving(docs: Record<string, unknown>): {
  resolveDocument: NonNullable<VerifyOptions['resolveDocument']>;
  asked: string[];
} {
  const asked: string[] = [];
  return {
    asked,
    resolveDocument: async (url) => {
      asked.push(url);
      if (!(url in docs)) throw new Error(`404 ${url}`);
      return structuredClone(docs[url]);
    },
  };
}

describe('trust.webDomain', () => {
  it('a did:web issuer whose key its own host lists is confirmed by that web domain', async () => {
    const did = 'did:web:ut.example';
    const key = generateKey({ controller: did });
    const { resolveDocument } = serving({ [didWebUrl(did)]: didWebDocument(key, did) });
    const r = await verify(await credentialOf(key, did), { now: NOW, resolveDocument, trust: { webDomain: true } });
    expect(r.issuerTrust).toMatchObject({ confirmed: true, method: 'web-domain', domain: 'ut.example' });
    expect(r.verdict.outcome).toBe('authentic');
    expect(r.verdict.headline).toBe(
      'Authentic micro-credential from ut.example (confirmed by its web domain; the name "University of Tartu" is its own claim), passed with grade B',
    );
    // Without the option, the same credential is unconfirmed.
    expect((await verify(await credentialOf(key, did), { now: NOW, resolveDocument })).verdict.outcome).toBe(
      'authentic-unconfirmed',
    );
  });

  it('a did:key issuer is confirmed by the web address it gives when that site links its DID', async () => {
    const key = generateKey();
    const origin = 'https://ut.example';
    const { resolveDocument, asked } = serving({
      [`${origin}/.well-known/did-configuration.json`]: {
        '@context': DID_CONFIGURATION_CONTEXT,
        linked_dids: [await linkage(key, key.controller, origin)],
      },
    });
    const r = await verify(await credentialOf(key, key.controller, 'https://ut.example/en'), {
      now: NOW,
      resolveDocument,
      trust: { webDomain: true },
    });
    expect(asked).toEqual([`${origin}/.well-known/did-configuration.json`]);
    expect(r.issuerTrust).toMatchObject({ confirmed: true, method: 'web-domain', domain: 'ut.example' });
    expect(r.verdict.issuer).toMatchObject({ confirmed: true, confirmedBy: 'the web domain ut.example' });
  });

  it('a linkage secured as a VC-JWT counts too', async () => {
    const key = generateKey();
    const origin = 'https://ut.example';
    const { resolveDocument } = serving({
      [`${origin}/.well-known/did-configuration.json`]: {
        '@context': DID_CONFIGURATION_CONTEXT,
        linked_dids: [await linkage(key, key.controller, origin, { format: 'vc-jwt' })],
      },
    });
    const r = await verify(await credentialOf(key, key.controller, origin), {
      now: NOW,
      resolveDocument,
      trust: { webDomain: true },
    });
    expect(r.issuerTrust).toMatchObject({ confirmed: true, domain: 'ut.example' });
  });

  it.each([
    [
      'a site that links another DID',
      async (_key: ReturnType<typeof generateKey>) => {
        const other = generateKey();
        return [await linkage(other, other.controller, 'https://ut.example')];
      },
    ],
    [
      'a linkage for another origin',
      async (key: ReturnType<typeof generateKey>) => [await linkage(key, key.controller, 'https://evil.example')],
    ],
    [
      'a linkage naming the DID but signed by someone else',
      async (key: ReturnType<typeof generateKey>) => [
        await linkage(generateKey(), key.controller, 'https://ut.example', { issuer: key.controller }),
      ],
    ],
    [
      'an expired linkage',
      async (key: ReturnType<typeof generateKey>) => [
        await linkage(key, key.controller, 'https://ut.example', { expired: true }),
      ],
    ],
    [
      'a tampered linkage',
      async (key: ReturnType<typeof generateKey>) => {
        const l = structuredClone(await linkage(key, key.controller, 'https://other.example')) as Record<
          string,
          { origin?: string }
        >;
        l.credentialSubject!.origin = 'https://ut.example';
        return [l];
      },
    ],
    ['no linked_dids', async () => undefined],
  ])('%s: not confirmed, a warning that says why', async (_what, make) => {
    const key = generateKey();
    const linked = await make(key);
    const { resolveDocument } = serving({
      'https://ut.example/.well-known/did-configuration.json': {
        '@context': DID_CONFIGURATION_CONTEXT,
        ...(linked ? { linked_dids: linked } : {}),
      },
    });
    const r = await verify(await credentialOf(key, key.controller, 'https://ut.example'), {
      now: NOW,
      resolveDocument,
      trust: { webDomain: true },
    });
    expect(r.verified).toBe(true);
    expect(r.issuerTrust?.confirmed).toBe(false);
    expect(r.checks.find((c) => c.check === 'issuerIdentity')).toMatchObject({
      status: 'warn',
      code: 'ISSUER_UNCONFIRMED',
    });
    expect(r.verdict.outcome).toBe('authentic-unconfirmed');
  });

  it('a web address on a private host is never asked (the resolver budget refuses it)', async () => {
    const key = generateKey();
    const { resolveDocument, asked } = serving({});
    const r = await verify(await credentialOf(key, key.controller, 'https://169.254.169.254'), {
      now: NOW,
      resolveDocument,
      trust: { webDomain: true },
    });
    expect(asked).toEqual([]);
    expect(r.issuerTrust?.confirmed).toBe(false);
  });
});
