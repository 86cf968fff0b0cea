import { describe, expect, it } from 'vitest';
import {
  award,
  createPresentation,
  signPresentation,
  defineIssuer,
  generateKey,
  issue,
  learnerMatches,
  parseTrustSource,
  verify,
  verifyPresentation,
  type VerifyOptions,
} from '../src';
import { Bitstring, statusListCredential, statusListEntry } from '../src/entries/status';
import { reiProgramme } from '../examples/rei-programme';

// The verdict (src/verify/verdict.ts): derived from the report's checks, it never shows a failed credential's content
// as fact, never calls an unconfirmed issuer confirmed, and never reads as plainly authentic with an unchecked status.
const NOW = new Date('2026-11-29T12:00:00Z');
const LIST = 'https://status.ut.example/lists/1';
const INDEX = 7;
const key = generateKey();
const issuer = defineIssuer({ id: key.controller, name: 'University of Tartu', country: 'EE' });
const learner = { email: 'Mari.Maasikas@example.ee', salt: 'salt-of-mari-0001' };
const plain = award(reiProgramme.parts[0]!, { issuer, learner, grade: 'B', awardedOn: '2024-01-26' });
const withStatus = award(reiProgramme.parts[0]!, {
  issuer,
  learner,
  grade: 'B',
  awardedOn: '2024-01-26',
  credentialStatus: statusListEntry({ listCredentialId: LIST, index: INDEX, purpose: 'revocation' }) as never,
});
const signed = await issue(plain, { key, created: '2024-01-26T00:00:00Z' });
const signedWithStatus = await issue(withStatus, { key, created: '2024-01-26T00:00:00Z' });
const title = reiProgramme.parts[0]!.title as string;

async function list(revoked: boolean): Promise<Record<string, unknown>> {
  const bits = new Bitstring();
  if (revoked) bits.set(INDEX, true);
  const unsigned = (await statusListCredential({
    id: LIST,
    issuer: key.controller,
    purpose: 'revocation',
    bitstring: bits,
    validFrom: '2024-01-01T00:00:00Z',
  })) as unknown as Record<string, unknown>;
  return (await issue(unsigned, { key, created: '2024-01-01T00:00:00Z' })) as unknown as Record<string, unknown>;
}
const serving =
  (doc: unknown): VerifyOptions['fetchStatusList'] =>
  async () =>
    structuredClone(doc);
const registry = {
  meta: { created: '2024-01-01T00:00:00Z' },
  registry: { [key.controller]: { name: 'University of Tartu', location: 'Tartu, Estonia', url: 'https://ut.ee' } },
};

describe('verdict: the headline follows the checks', () => {
  it('a genuine credential without a trust source: authentic, but the issuer is not confirmed', async () => {
    const r = await verify(signed, { now: NOW });
    expect(r.verified).toBe(true);
    expect(r.verdict.outcome).toBe('authentic-unconfirmed');
    expect(r.verdict.headline).toBe(
      `Authentic, but the issuer's identity is not confirmed (it calls itself "University of Tartu"), passed with grade B`,
    );
    expect(r.verdict.issuer).toEqual({ id: key.controller, name: 'University of Tartu', confirmed: false });
    expect(r.verdict.reasons.map((x) => x.code)).toContain('ISSUER_UNCONFIRMED');
    expect(r.verdict.title).toBe(title);
    expect(r.verdict.elements.find((e) => e.key === 'ects')?.value).toBeDefined();
    // The issuer and its awarding body in one country: the country is named once, with the region where one is known.
    const country = r.verdict.elements.find((e) => e.key === 'country')?.value ?? '';
    expect(country.match(/Estonia/g)).toHaveLength(1);
  });

  it("a registry that lists the issuer confirms it, by the registry's name", async () => {
    const trust = { sources: [parseTrustSource(registry, { name: 'Estonian HE registry' })] };
    const r = await verify(signedWithStatus, { now: NOW, trust, fetchStatusList: serving(await list(false)) });
    expect(r.verdict.outcome).toBe('authentic');
    expect(r.verdict.headline).toBe(
      `Authentic micro-credential from University of Tartu (confirmed by Estonian HE registry), not revoked, passed with grade B`,
    );
    expect(r.issuerTrust).toMatchObject({ confirmed: true, by: 'Estonian HE registry', method: 'registry' });
    expect(r.checks.find((c) => c.check === 'issuerIdentity')).toMatchObject({ status: 'pass' });
  });

  it('a trust source that does not list the issuer leaves it unconfirmed, as a warning (still verified)', async () => {
    const other = generateKey();
    const trust = { sources: [parseTrustSource({ name: 'Other list', issuers: [other.controller] })] };
    const r = await verify(signed, { now: NOW, trust });
    expect(r.verified).toBe(true);
    expect(r.checks.find((c) => c.check === 'issuerIdentity')).toMatchObject({
      status: 'warn',
      code: 'ISSUER_UNCONFIRMED',
    });
    expect(r.verdict.outcome).toBe('authentic-unconfirmed');
    expect(r.verdict.issuer.confirmed).toBe(false);
  });

  it('a self-made "University of Tartu" with the same name is not confirmed by a registry listing the real one', async () => {
    const impostor = generateKey();
    const fake = await issue(
      award(reiProgramme.parts[0]!, {
        issuer: defineIssuer({ id: impostor.controller, name: 'University of Tartu', country: 'EE' }),
        learner,
        grade: 'A',
        awardedOn: '2024-01-26',
      }),
      { key: impostor, created: '2024-01-26T00:00:00Z' },
    );
    const r = await verify(fake, { now: NOW, trust: { sources: [parseTrustSource(registry)] } });
    expect(r.verdict.outcome).toBe('authentic-unconfirmed');
    expect(r.verdict.headline).toMatch(/^Authentic, but the issuer's identity is not confirmed/);
  });

  it('changed after signing: tampered, and nothing of its content is shown', async () => {
    const changed = structuredClone(signed) as unknown as {
      credentialSubject: { result: { achievedLevel?: string; value?: string }[] };
    };
    (changed as unknown as Record<string, unknown>).name = 'Doctor of Everything';
    const r = await verify(changed, { now: NOW, trust: { sources: [parseTrustSource(registry)] } });
    expect(r.verdict.outcome).toBe('tampered');
    expect(r.verdict.headline).toBe('Changed after it was signed: do not trust its content');
    expect(r.verdict).toMatchObject({ elements: [], issuer: { confirmed: false } });
    expect(r.verdict.title).toBeUndefined();
    expect(r.verdict.grade).toBeUndefined();
    expect(JSON.stringify(r.verdict)).not.toContain('Doctor of Everything');
  });

  it('changed credits: the reasons speak of the signature only, never of the changed values as findings', async () => {
    // An HR person reads "Why" as facts: "104 hours for 40 ECTS…" or "creditsAvailable 40" would repeat the forger's
    // number under a headline that says nothing of the content is shown.
    const changed = structuredClone(signed) as unknown as {
      credentialSubject: { achievement: { creditsAvailable: number; creditPoint?: { point: unknown }[] } };
    };
    const achievement = changed.credentialSubject.achievement;
    achievement.creditsAvailable = 40;
    for (const p of achievement.creditPoint ?? []) p.point = 40;
    const r = await verify(changed, { now: NOW });
    expect(r.verdict.outcome).toBe('tampered');
    // The report's own checks still find the contradictions (technical detail, one step away).
    expect(r.checks.some((c) => c.check === 'consistency' && c.status !== 'pass')).toBe(true);
    expect(r.verdict.reasons.map((x) => x.code)).toEqual(['INVALID_SIGNATURE']);
    expect(JSON.stringify(r.verdict)).not.toMatch(/\b40\b/);
  });

  it('a signature that cannot be checked: the steps it stopped are said in plain words, not as "Not checked: …"', async () => {
    const changed = structuredClone(signed) as unknown as { proof: unknown };
    const proof = [changed.proof].flat()[0] as { cryptosuite: string };
    proof.cryptosuite = 'ecdsa-rdfc-2019';
    const r = await verify(changed, { now: NOW });
    expect(r.verdict.headlineKey).toBe('verdict.signature-unchecked');
    expect(r.verdict.reasons.map((x) => x.text)).toContain("Whether the signing key is the issuer's was not checked");
    for (const reason of r.verdict.reasons) expect(reason.text).not.toMatch(/^Not checked/);
  });

  it("signed by a key that is not the issuer's: not trusted, nothing of its content shown, not confirmed even when listed", async () => {
    const stranger = generateKey();
    const foreign = await issue(plain, {
      key: stranger,
      created: '2024-01-26T00:00:00Z',
      allowForeignController: true,
    });
    const r = await verify(foreign, { now: NOW, trust: { sources: [parseTrustSource(registry)] } });
    expect(r.checks.find((c) => c.check === 'keyBinding')).toMatchObject({
      status: 'fail',
      code: 'KEY_BINDING_MISMATCH',
    });
    expect(r.verdict).toMatchObject({
      outcome: 'invalid',
      headlineKey: 'verdict.not-issuers-key',
      elements: [],
      issuer: { confirmed: false },
    });
    expect(r.verdict.title).toBeUndefined();
    expect(r.verdict.grade).toBeUndefined();
    expect(r.issuerTrust?.confirmed).toBe(false);
  });

  it('revoked: the headline says so', async () => {
    const r = await verify(signedWithStatus, { now: NOW, fetchStatusList: serving(await list(true)) });
    expect(r.verdict.outcome).toBe('revoked');
    expect(r.verdict.headline).toMatch(/^Revoked by its issuer/);
  });

  it.each(['required', 'optional'] as const)(
    "status not checkable (statusCheck '%s'): 'Could not check whether it was revoked', never plainly authentic",
    async (statusCheck) => {
      const r = await verify(signedWithStatus, {
        now: NOW,
        statusCheck,
        trust: { sources: [parseTrustSource(registry)] },
      });
      expect(r.verified).toBe(statusCheck === 'optional');
      expect(r.verdict.outcome).toBe('status-not-checked');
      expect(r.verdict.headline).toMatch(/^Could not check whether it was revoked/);
    },
  );

  it('expired: the headline gives the date', async () => {
    const expiring = await issue(
      award(reiProgramme.parts[0]!, {
        issuer,
        learner,
        grade: 'B',
        awardedOn: '2024-01-26',
        validUntil: '2025-01-31T00:00:00Z',
      } as never),
      { key, created: '2024-01-26T00:00:00Z' },
    );
    const r = await verify(expiring, { now: NOW });
    expect(r.verdict.outcome).toBe('expired');
    expect(r.verdict.headline).toBe('Expired on 2025-01-31');
  });

  it('unreadable input has a verdict too', async () => {
    const r = await verify('not a credential', { now: NOW });
    expect(r.verdict.outcome).toBe('invalid');
    expect(r.verdict.elements).toEqual([]);
  });

  it('a JSON file with no @context, or nested past the walk, is unreadable, never "changed after it was signed"', async () => {
    const { '@context': _context, ...noContext } = signed as unknown as Record<string, unknown>;
    const deep = JSON.stringify(signed).replace(
      '"credentialSubject":{',
      `"credentialSubject":{"name":${'['.repeat(300)}"x"${']'.repeat(300)},`,
    );
    for (const doc of [{ name: 'Mari', cv: true }, noContext, deep, { '@context': 5 }]) {
      const r = await verify(doc, { now: NOW });
      expect(r.verified).toBe(false);
      expect(r.checks.some((c) => c.check === 'contexts' && c.status === 'fail')).toBe(true);
      expect(r.verdict.outcome).toBe('invalid');
      expect(r.verdict.headlineKey).toBe('verdict.unreadable');
      // Why it could not be read, not the signature and issuer checks a file that is no credential never reached.
      expect(r.verdict.reasons.map((reason) => reason.key.split('.')[1])).toEqual(expect.arrayContaining(['contexts']));
      expect(r.verdict.reasons.every((reason) => reason.key.startsWith('reason.contexts.'))).toBe(true);
    }
  });

  it('each credential report of verifyPresentation carries its verdict', async () => {
    const holder = generateKey();
    const vp = await signPresentation(
      createPresentation({ verifiableCredential: [signed], holder: holder.controller }),
      { key: holder, challenge: 'c-1', created: '2026-11-29T11:59:00Z' },
    );
    const r = await verifyPresentation(vp, { challenge: 'c-1', now: NOW });
    expect(r.credentials[0]!.verdict.outcome).toBe('authentic-unconfirmed');
  });
});

describe('parseTrustSource', () => {
  it('reads a plain list, a bare array and a DCC registry', () => {
    expect(parseTrustSource({ name: 'Mine', issuers: ['did:web:ut.ee', { id: 'ut.ee', name: 'UT' }] })).toEqual({
      name: 'Mine',
      kind: 'list',
      issuers: [{ id: 'did:web:ut.ee' }, { id: 'ut.ee', name: 'UT' }],
    });
    expect(parseTrustSource(['https://ut.ee/issuer'], { name: 'file.json' })).toMatchObject({
      name: 'file.json',
      kind: 'list',
    });
    expect(parseTrustSource(registry, { name: 'DCC' })).toEqual({
      name: 'DCC',
      kind: 'registry',
      issuers: [{ id: key.controller, name: 'University of Tartu', location: 'Tartu, Estonia', url: 'https://ut.ee' }],
    });
    expect(parseTrustSource({ meta: {}, entries: { 'did:key:z6Mkabc': { name: 'Old' } } }).kind).toBe('registry');
  });

  it.each([
    ['a number', 42, '$'],
    ['an object of another shape', { trusted: [] }, '$'],
    ['a registry that is a list', { registry: [] }, '$.registry'],
    ['an entry that is no id', { issuers: ['not an id at all'] }, '$.issuers[0]'],
    ['an entry object without id', { issuers: [{ name: 'x' }] }, '$.issuers[0]'],
    ['a registry entry that is a string', { registry: { 'did:key:z6Mkabc': 'x' } }, '$.registry["did:key:z6Mkabc"]'],
    [
      'a name that is not a string',
      { registry: { 'did:key:z6Mkabc': { name: 1 } } },
      '$.registry["did:key:z6Mkabc"].name',
    ],
  ])('refuses %s (INVALID_INPUT)', (_what, json, path) => {
    expect(() => parseTrustSource(json)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', path }));
  });

  it('a domain entry confirms a did:web on that host and never a did:key or a look-alike host', async () => {
    const { findTrustedIssuer } = await import('../src/verify/trust');
    const source = parseTrustSource(['ut.ee']);
    expect(findTrustedIssuer(source, 'did:web:ut.ee')).toBeDefined();
    expect(findTrustedIssuer(source, 'did:web:ut.ee:issuers:1')).toBeDefined();
    expect(findTrustedIssuer(source, 'https://ut.ee/issuer')).toBeDefined();
    expect(findTrustedIssuer(source, 'did:web:ut.ee.evil.example')).toBeUndefined();
    expect(findTrustedIssuer(source, 'did:web:evil.ut.ee')).toBeUndefined();
    expect(findTrustedIssuer(source, 'https://ut.ee.evil.example/x')).toBeUndefined();
    expect(findTrustedIssuer(source, 'did:key:z6Mkut.ee')).toBeUndefined();
  });
});

describe('learnerMatches', () => {
  it('matches the learner by e-mail through the salted hash, in any case; another person does not match', async () => {
    const r = await verify(signed, { now: NOW });
    expect(learnerMatches(r, 'Mari.Maasikas@example.ee')).toBe('match');
    expect(learnerMatches(r, 'someone.else@example.ee')).toBe('no-match');
    expect(learnerMatches(r, 'S123456')).toBe('cannot-tell');
  });

  it('cannot tell for a credential whose proof fails', async () => {
    const changed = structuredClone(signed) as unknown as Record<string, unknown>;
    changed.name = 'x';
    expect(learnerMatches(await verify(changed, { now: NOW }), 'Mari.Maasikas@example.ee')).toBe('cannot-tell');
  });
});
