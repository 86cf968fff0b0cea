import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import {
  generateKey,
  issue,
  isMicrocredError,
  signPresentation,
  verify,
  verifyPresentation,
  type Ed25519Key,
} from '../src';
import { fixturePath } from './helpers/fixtures';

/**
 * "Every VC 2.0 credential that issue() accepts verifies": the W3C VC DM 2.0 test suite's credential inputs, filled in
 * the way the suite fills them (the implementation's issuer, real dates), issued with both Data Integrity suites and
 * VC-JWT and verified; every `*-fail` input is refused at issue.
 */
const dir = fixturePath('vcdm2-inputs');
const files = [
  ...fs.readdirSync(dir).map((f) => path.join(dir, f)),
  ...fs.readdirSync(path.join(dir, 'names-and-descriptions')).map((f) => path.join(dir, 'names-and-descriptions', f)),
].filter((f) => /^(credential|issuer)-.*\.json$/.test(path.basename(f)));

function filled(file: string, key: Ed25519Key): Record<string, unknown> {
  const out = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  const name = path.basename(file);
  if (!('issuer' in out) && !/issuer/.test(name)) out.issuer = key.controller;
  if (typeof out.issuer === 'object' && out.issuer !== null && !Array.isArray(out.issuer) && !('id' in out.issuer))
    out.issuer = { ...out.issuer, id: key.controller };
  // Inputs about the issuer itself name an example issuer; an "ok" one is signed by that issuer's own key.
  if (name.endsWith('-ok.json')) {
    if (typeof out.issuer === 'string') out.issuer = key.controller;
    else if (typeof out.issuer === 'object' && out.issuer !== null) out.issuer = { ...out.issuer, id: key.controller };
  }
  for (const k of ['validFrom', 'validUntil']) {
    if (out[k] === 'PAST DATE') out[k] = '2020-01-01T00:00:00Z';
    if (out[k] === 'FUTURE DATE') out[k] = '2099-01-01T00:00:00Z';
  }
  // credential-proof-ok carries the suite's placeholder proof (no key, no signature): a shape test for issuers. Signed
  // as a proof set it could never verify (DI §4.5: every proof must), so the issuer signs the document without it.
  if (name.endsWith('-ok.json')) delete out.proof;
  return out;
}

/** Verify at a time inside the credential's validity period (inputs are valid only from 4023, or until 2023). */
function nowFor(vc: Record<string, unknown>): Date {
  const from = typeof vc.validFrom === 'string' ? Date.parse(vc.validFrom) : NaN;
  const until = typeof vc.validUntil === 'string' ? Date.parse(vc.validUntil) : NaN;
  if (!Number.isNaN(until) && until < Date.now())
    return new Date(Number.isNaN(from) ? until - 1000 : (from + until) / 2);
  return !Number.isNaN(from) && from > Date.now() ? new Date(from + 1000) : new Date();
}

/** The suite's examples context (https://www.w3.org/ns/credentials/examples/v2), given the way a caller adds one. */
const contexts = {
  'https://www.w3.org/ns/credentials/examples/v2': {
    '@context': { '@vocab': 'https://www.w3.org/ns/credentials/examples#' },
  },
};

describe('VC DM 2.0 suite inputs: what issue() accepts verifies, what it must refuse it refuses', () => {
  const key = generateKey();
  it('finds the inputs', () => expect(files.length).toBeGreaterThan(60));

  for (const file of files) {
    const name = path.basename(file);
    if (name.endsWith('-ok.json')) {
      for (const format of ['eddsa-rdfc-2022', 'eddsa-jcs-2022', 'vc-jwt', 'vc+jwt'] as const) {
        it(`${name} issues and verifies (${format})`, async () => {
          const vc = filled(file, key);
          const now = nowFor(vc);
          // The proof is dated a second before the verifier's clock: a proof created after `now` is
          // PROOF_NOT_YET_VALID, and the validity inputs move `now` into 2023 or 4023.
          const created = new Date(now.getTime() - 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
          const signed = await issue(vc, { key, format, contexts, created });
          if (vc.credentialStatus === undefined) {
            const report = await verify(signed, { now, contexts });
            expect(report.checks.filter((c) => c.status === 'fail')).toEqual([]);
            expect(report.verified).toBe(true);
            return;
          }
          // The suite's status inputs name an example type (CredentialStatusList2017) that no verifier can check.
          // Status fails closed: by default such a credential is not verified, and says why...
          const closed = await verify(signed, { now, contexts });
          expect(closed.verified).toBe(false);
          expect(closed.checks.filter((c) => c.status === 'fail')).toEqual([
            expect.objectContaining({ check: 'status', code: 'STATUS_UNCHECKED' }),
          ]);
          // ...and a verifier that accepts unchecked status gets a verified credential whose report says the status
          // was not checked; everything else passes.
          const report = await verify(signed, { now, contexts, statusCheck: 'optional' });
          expect(report.checks.filter((c) => c.status === 'fail')).toEqual([]);
          expect(report.checks.filter((c) => c.check === 'status')).toEqual([
            expect.objectContaining({
              status: 'warn',
              code: 'STATUS_UNCHECKED',
              message: expect.stringMatching(/without a status check/),
            }),
          ]);
          expect(report.verified).toBe(true);
        });
      }
    } else if (/-fail(-or-inject)?\.json$/.test(name)) {
      it(`${name} is refused at issue`, async () => {
        const error = await issue(filled(file, key), { key, contexts }).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(isMicrocredError(error)).toBe(true);
      });
    }
  }

  it("the issue's reproduction: a VC 2.0 credential without validFrom verifies", async () => {
    const k = generateKey();
    const signed = await issue(
      {
        '@context': ['https://www.w3.org/ns/credentials/v2'],
        type: ['VerifiableCredential'],
        issuer: k.controller,
        credentialSubject: { id: 'did:example:a', name: 'A' },
      },
      { key: k },
    );
    expect((await verify(signed)).verified).toBe(true);
  });
});

describe('relatedResource (VC DM 2.0 §5.3)', () => {
  const key = generateKey();
  const resource = new TextEncoder().encode('{"hello":"world"}');
  const sri = `sha384-${createHash('sha384').update(resource).digest('base64')}`;
  const multihash = Buffer.concat([Buffer.from([0x12, 0x20]), createHash('sha256').update(resource).digest()]);
  const multibase = `u${multihash.toString('base64url')}`;
  const base = (relatedResource: unknown) => ({
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    type: ['VerifiableCredential'],
    issuer: key.controller,
    credentialSubject: { id: 'did:example:a', name: 'A' },
    relatedResource,
  });
  const fetchResource = async (url: string) => {
    if (url === 'https://example.org/data.json') return resource;
    throw new Error('not found');
  };

  const refused: Record<string, unknown> = {
    'a list of strings': ['https://example.org/data.json'],
    'an entry without id': [{ digestSRI: sri }],
    'duplicate ids': [
      { id: 'https://example.org/data.json', digestSRI: sri },
      { id: 'https://example.org/data.json', digestMultibase: multibase },
    ],
    'no digest': [{ id: 'https://example.org/data.json' }],
    'an SRI digest of the wrong length': [{ id: 'https://example.org/data.json', digestSRI: 'sha384-AAAA' }],
    'an SRI digest with an unknown algorithm': [
      { id: 'https://example.org/data.json', digestSRI: `md5-${createHash('md5').update(resource).digest('base64')}` },
    ],
    'a multibase digest that is not a multihash': [{ id: 'https://example.org/data.json', digestMultibase: 'uAAAA' }],
    'an id that is not a URL': [{ id: 'data.json', digestSRI: sri }],
  };
  for (const [what, value] of Object.entries(refused)) {
    it(`refuses to issue ${what}`, async () => {
      const error = await issue(base(value), { key }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isMicrocredError(error) && error.problems.some((p) => p.path.startsWith('$.relatedResource'))).toBe(true);
    });
  }

  it('issues well-formed digests; verify compares them when given fetchResource, and says so when not', async () => {
    const signed = await issue(
      base([
        {
          id: 'https://example.org/data.json',
          digestSRI: sri,
          digestMultibase: multibase,
          mediaType: 'application/json',
        },
      ]),
      { key },
    );
    const compared = await verify(signed, { fetchResource });
    expect(compared.verified).toBe(true);
    expect(compared.checks.find((c) => c.check === 'relatedResource')?.status).toBe('pass');
    const notCompared = await verify(signed);
    expect(notCompared.verified).toBe(true);
    expect(notCompared.checks.find((c) => c.check === 'relatedResource')).toMatchObject({ status: 'skip' });
  });

  it('a resource that changed after signing fails verification', async () => {
    const signed = await issue(base([{ id: 'https://example.org/data.json', digestSRI: sri }]), { key });
    const report = await verify(signed, { fetchResource: async () => new TextEncoder().encode('{"hello":"mars"}') });
    expect(report.verified).toBe(false);
    expect(report.checks.find((c) => c.check === 'relatedResource')).toMatchObject({
      status: 'fail',
      code: 'RELATED_RESOURCE_MISMATCH',
    });
  });

  it('verify checks the structure of a signed credential issued elsewhere', async () => {
    const signed = await issue(base([{ id: 'https://example.org/data.json', digestSRI: sri }]), { key });
    // A credential from another issuer may carry a bad relatedResource; the signature holds over it, the check does not.
    const { createProof } = await import('../src/entries/proof');
    const { proof: _p, ...unsigned } = signed as Record<string, unknown>;
    const bad = await createProof({ ...unsigned, relatedResource: [{ id: 'https://example.org/data.json' }] }, { key });
    const report = await verify(bad);
    expect(report.verified).toBe(false);
    expect(report.checks.find((c) => c.check === 'relatedResource')?.status).toBe('fail');
  });
});

describe('VC DM 2.0 suite presentation inputs: the holder signs the *-ok ones and refuses the *-fail ones', () => {
  const holderKey = generateKey();
  const inputs = fs.readdirSync(dir).filter((f) => /^presentation-.*\.json$/.test(f));
  it('finds the inputs', () => expect(inputs.length).toBeGreaterThan(10));
  for (const name of inputs) {
    const read = () => {
      const vp = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as Record<string, unknown>;
      // The suite's holder signs as itself: an ok input's holder becomes our key's controller.
      if (name.endsWith('-ok.json') && vp.holder !== undefined)
        vp.holder =
          typeof vp.holder === 'string' ? holderKey.controller : { ...(vp.holder as object), id: holderKey.controller };
      return vp;
    };
    if (name.endsWith('-ok.json')) {
      it(`${name} is signed, and its own checks pass`, async () => {
        const signed = await signPresentation(read(), {
          key: holderKey,
          challenge: 'c',
          domain: 'https://v.example',
          contexts,
        });
        const report = await verifyPresentation(signed, { challenge: 'c', domain: 'https://v.example', contexts });
        // The suite's inputs hold unsigned example credentials: only the presentation's own checks are asserted.
        expect(report.checks.filter((c) => c.status === 'fail' && c.check !== 'credentials')).toEqual([]);
        expect(report.checks.find((c) => c.check === 'proof')?.status).toBe('pass');
      });
    } else if (/-fail(-or-inject)?\.json$/.test(name)) {
      it(`${name} is refused`, async () => {
        const error = await signPresentation(read(), { key: holderKey, challenge: 'c', contexts }).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(isMicrocredError(error)).toBe(true);
      });
    }
  }
});

describe('relatedResource fetch bound', () => {
  it('fetches at most 8 related resources per credential and says which were not compared', async () => {
    const key = generateKey();
    const bytes = new TextEncoder().encode('x');
    const sri = `sha256-${createHash('sha256').update(bytes).digest('base64')}`;
    const relatedResource = Array.from({ length: 12 }, (_, i) => ({ id: `https://example.org/r${i}`, digestSRI: sri }));
    const signed = await issue(
      {
        '@context': ['https://www.w3.org/ns/credentials/v2'],
        type: ['VerifiableCredential'],
        issuer: key.controller,
        credentialSubject: { id: 'did:example:a' },
        relatedResource,
      },
      { key },
    );
    const fetched: string[] = [];
    const report = await verify(signed, { fetchResource: async (url) => (fetched.push(url), bytes) });
    expect(fetched).toHaveLength(8);
    const checks = report.checks.filter((c) => c.check === 'relatedResource');
    expect(checks.filter((c) => c.status === 'pass')).toHaveLength(8);
    expect(checks.filter((c) => c.status === 'warn')).toHaveLength(4);
  });
});

describe('VC DM 2.0 suite *-fail inputs signed anyway (by an issuer that does not check) fail verification', () => {
  const key = generateKey();
  for (const file of files.filter((f) => /-fail(-or-inject)?\.json$/.test(f))) {
    it(`${path.basename(file)} does not verify`, async () => {
      const { createProof } = await import('../src/entries/proof');
      const vc = filled(file, key);
      // eddsa-jcs-2022 signs the JSON as it is, whatever its JSON-LD meaning: what a careless issuer produces.
      const signed = await createProof(vc, { key, cryptosuite: 'eddsa-jcs-2022' });
      const report = await verify(signed, { contexts });
      expect(report.verified).toBe(false);
    });
  }
});
