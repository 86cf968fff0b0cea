import { describe, expect, it } from 'vitest';
import { createPresentation, generateKey, issue, signPresentation, verifyPresentation, type Ed25519Key } from '../src';

const issuerKey = generateKey();
const learnerKey = generateKey();
const challenge = 'c0ffee-1234';
const domain = 'https://hr.example.com';
const NOW = new Date('2026-03-01T12:00:00Z');
const created = '2026-03-01T11:58:00Z';
/**
 * When the issuer signed the credentials: before NOW, as in life. Signed at the real clock they would be dated after
 * NOW, and verify() refuses a proof from the future (PROOF_NOT_YET_VALID).
 */
const issued = '2026-02-01T09:00:00Z';

function credentialFor(subject: string) {
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    id: `urn:uuid:${crypto.randomUUID()}`,
    type: ['VerifiableCredential'],
    issuer: issuerKey.controller,
    validFrom: '2025-01-01T00:00:00Z',
    credentialSubject: { id: subject, name: 'Data literacy, 5 ECTS' },
  };
}

async function presentation(
  format: 'eddsa-rdfc-2022' | 'eddsa-jcs-2022' | 'vp-jwt' | 'vp+jwt',
  opts: { key?: Ed25519Key; holder?: string; challenge?: string; domain?: string; created?: string } = {},
) {
  const vc = await issue(credentialFor(learnerKey.controller), { key: issuerKey, created: issued });
  const vcJwt = await issue(credentialFor(learnerKey.controller), {
    key: issuerKey,
    created: issued,
    format: 'vc+jwt',
  });
  const vp = createPresentation({ verifiableCredential: [vc, vcJwt], holder: opts.holder ?? learnerKey.controller });
  return signPresentation(vp, {
    key: opts.key ?? learnerKey,
    format,
    challenge: opts.challenge ?? challenge,
    domain: opts.domain ?? domain,
    created: opts.created ?? created,
    expiresInSeconds: 3 * 3600,
  });
}

const failed = (r: { checks: { check: string; status: string; code?: string }[] }) =>
  r.checks.filter((c) => c.status === 'fail');

describe('verifiable presentations: round trips', () => {
  for (const format of ['eddsa-rdfc-2022', 'eddsa-jcs-2022', 'vp-jwt', 'vp+jwt'] as const) {
    it(`${format}: signed by the holder, verified with challenge and domain, credentials (one enveloped) verified too`, async () => {
      const vp = await presentation(format);
      if (format.startsWith('vp')) expect(typeof vp).toBe('string');
      else
        expect((vp as { proof: { proofPurpose: string; challenge: string; domain: string } }).proof).toMatchObject({
          proofPurpose: 'authentication',
          challenge,
          domain,
        });
      const report = await verifyPresentation(vp, { challenge, domain, now: NOW, requireHolderIsSubject: true });
      expect(failed(report)).toEqual([]);
      expect(report.verified).toBe(true);
      expect(report.format).toBe(format.startsWith('vp') ? format : 'json-ld');
      expect(report.holder).toBe(learnerKey.controller);
      expect(report.credentials).toHaveLength(2);
      expect(report.credentials.every((c) => c.verified)).toBe(true);
      expect(report.credentials[1]!.format).toBe('vc-jwt');
      for (const check of [
        'proof',
        'holderBinding',
        'challenge',
        'domain',
        'freshness',
        'credentials',
        'subjectBinding',
      ]) {
        expect(report.checks.find((c) => c.check === check)?.status, check).toBe('pass');
      }
      // Plain JSON in, plain JSON out (for an HTTP layer).
      expect(JSON.parse(JSON.stringify(report))).toEqual(report);
    });

    it(`${format}: wrong challenge, wrong domain, missing challenge`, async () => {
      const vp = await presentation(format);
      expect(
        failed(await verifyPresentation(vp, { challenge: 'another', domain, now: NOW })).map((c) => c.code),
      ).toEqual(['CHALLENGE_MISMATCH']);
      expect(
        failed(await verifyPresentation(vp, { challenge, domain: 'https://evil.example', now: NOW })).map(
          (c) => c.code,
        ),
      ).toEqual(['DOMAIN_MISMATCH']);
      const noChallenge = await verifyPresentation(vp, { domain, now: NOW });
      expect(noChallenge.checks.find((c) => c.check === 'challenge')?.status).toBe('warn');
    });

    it(`${format}: a replayed presentation past the window fails; the window is the caller's`, async () => {
      const vp = await presentation(format);
      const later = new Date(NOW.getTime() + 60 * 60 * 1000);
      const report = await verifyPresentation(vp, { challenge, domain, now: later });
      expect(report.verified).toBe(false);
      expect(failed(report).map((c) => c.code)).toContain('STALE_PRESENTATION');
      expect(
        (await verifyPresentation(vp, { challenge, domain, now: later, maxAgeSeconds: 2 * 3600 })).checks.find(
          (c) => c.check === 'freshness',
        )?.status,
      ).toBe('pass');
      // No age limit (a presentation handed over as a file): it passes, saying when it was made; a VP-JWT's expiry
      // still holds.
      const unlimited = await verifyPresentation(vp, {
        challenge,
        domain,
        now: later,
        maxAgeSeconds: Number.POSITIVE_INFINITY,
      });
      expect(unlimited.checks.find((c) => c.check === 'freshness')).toMatchObject({
        status: 'pass',
        message: expect.stringMatching(/^Made at 2026-03-01T11:58:00\.000Z; no age limit set$/),
      });
      if (format.startsWith('vp')) {
        const pastExpiry = new Date(NOW.getTime() + 4 * 3600 * 1000);
        expect(
          failed(
            await verifyPresentation(vp, {
              challenge,
              domain,
              now: pastExpiry,
              maxAgeSeconds: Number.POSITIVE_INFINITY,
            }),
          ).map((c) => c.code),
        ).toContain('STALE_PRESENTATION');
      }
    });

    it(`${format}: a holder that is not the key's controller fails the holder binding`, async () => {
      const stranger = generateKey();
      const vp = await signPresentation(
        createPresentation({
          verifiableCredential: [
            await issue(credentialFor(learnerKey.controller), { key: issuerKey, created: issued }),
          ],
          holder: learnerKey.controller,
        }),
        { key: stranger, format, challenge, domain, created, allowForeignController: true },
      );
      const report = await verifyPresentation(vp, { challenge, domain, now: NOW });
      expect(report.verified).toBe(false);
      expect(failed(report).map((c) => c.code)).toEqual(['HOLDER_BINDING_MISMATCH']);
    });
  }

  it('refuses to sign for a holder the key does not belong to', async () => {
    const vp = createPresentation({ verifiableCredential: [], holder: learnerKey.controller });
    await expect(signPresentation(vp, { key: generateKey(), challenge })).rejects.toMatchObject({
      code: 'INVALID_KEY',
    });
  });

  it('a tampered contained credential fails the presentation (JCS: the holder signature does not cover it the same way)', async () => {
    // Tamper with a credential and re-sign the presentation as the holder: the holder's proof holds, the issuer's does not.
    const vc = await issue(credentialFor(learnerKey.controller), { key: issuerKey, created: issued });
    const tampered = { ...vc, credentialSubject: { ...vc.credentialSubject, name: 'Medicine, 300 ECTS' } };
    for (const format of ['eddsa-rdfc-2022', 'eddsa-jcs-2022', 'vp-jwt', 'vp+jwt'] as const) {
      const vp = await signPresentation(
        createPresentation({ verifiableCredential: [tampered], holder: learnerKey.controller }),
        { key: learnerKey, format, challenge, domain, created },
      );
      const report = await verifyPresentation(vp, { challenge, domain, now: NOW });
      expect(report.verified).toBe(false);
      expect(failed(report).map((c) => c.code)).toEqual(['INVALID_CREDENTIAL']);
      expect(report.credentials[0]!.checks.find((c) => c.check === 'proof')?.status).toBe('fail');
    }
  });

  it("a credential changed after the holder signed breaks the holder's proof", async () => {
    const vp = (await presentation('eddsa-rdfc-2022')) as Record<string, unknown> & {
      verifiableCredential: Record<string, unknown>[];
    };
    const changed = {
      ...vp,
      verifiableCredential: [
        { ...vp.verifiableCredential[0], validFrom: '2020-01-01T00:00:00Z' },
        vp.verifiableCredential[1],
      ],
    };
    const report = await verifyPresentation(changed, { challenge, domain, now: NOW });
    expect(report.checks.find((c) => c.check === 'proof')).toMatchObject({ status: 'fail', code: 'INVALID_SIGNATURE' });
  });

  it('unsigned presentations only when the caller allows them', async () => {
    const vc = await issue(credentialFor(learnerKey.controller), { key: issuerKey, created: issued });
    const vp = createPresentation({ verifiableCredential: [vc], holder: learnerKey.controller });
    const refused = await verifyPresentation(vp, { challenge });
    expect(refused.verified).toBe(false);
    expect(failed(refused).map((c) => c.code)).toEqual(['NO_PROOF']);
    const allowed = await verifyPresentation(vp, { allowUnsigned: true });
    expect(allowed.verified).toBe(true);
    expect(allowed.checks.find((c) => c.check === 'proof')?.status).toBe('skip');
  });

  it('requireHolderIsSubject: a credential about someone else fails the subject binding', async () => {
    const vc = await issue(credentialFor('did:example:someone-else'), { key: issuerKey, created: issued });
    const vp = await signPresentation(
      createPresentation({ verifiableCredential: [vc], holder: learnerKey.controller }),
      { key: learnerKey, challenge, domain, created },
    );
    expect((await verifyPresentation(vp, { challenge, domain, now: NOW })).verified).toBe(true);
    const strict = await verifyPresentation(vp, { challenge, domain, now: NOW, requireHolderIsSubject: true });
    expect(failed(strict).map((c) => c.code)).toEqual(['SUBJECT_NOT_HOLDER']);
  });

  it('hostile input is a report, not an exception', async () => {
    for (const bad of [
      null,
      42,
      '',
      'not json',
      '{"a":',
      '[]',
      { type: 'VerifiablePresentation' },
      { '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiablePresentation'], holder: 'not a url' },
      'a.b.c',
      {
        '@context': ['https://www.w3.org/ns/credentials/v2'],
        type: ['VerifiablePresentation'],
        proof: {
          type: 'DataIntegrityProof',
          cryptosuite: 'eddsa-rdfc-2022',
          proofPurpose: 'authentication',
          verificationMethod: 'did:key:z6Mk#x',
          proofValue: 'z1',
        },
      },
    ]) {
      const report = await verifyPresentation(bad as never, { challenge });
      expect(report.verified).toBe(false);
    }
  });
});

describe('presentation shape', () => {
  it('a JSON-LD presentation may not list a credential as a bare JWT string (VC DM 2.0 §4.13); a VP-JWT may', async () => {
    const jwt = await issue(credentialFor(learnerKey.controller), {
      key: issuerKey,
      created: issued,
      format: 'vc-jwt',
    });
    const bare = {
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      type: ['VerifiablePresentation'],
      holder: learnerKey.controller,
      verifiableCredential: [jwt],
    };
    await expect(signPresentation(bare, { key: learnerKey, challenge })).rejects.toMatchObject({
      code: 'INVALID_ELEMENT',
    });
    const report = await verifyPresentation(bare, { allowUnsigned: true });
    expect(report.checks[0]).toMatchObject({ check: 'parse', status: 'fail' });
    const vpJwt = await signPresentation(bare, { key: learnerKey, challenge, format: 'vp-jwt', created });
    const ok = await verifyPresentation(vpJwt, { challenge, now: NOW });
    expect(ok.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(ok.credentials[0]!.verified).toBe(true);
  });
});

describe('microcred verify-presentation', () => {
  it('verifies a presentation file with --challenge / --domain; exit 1 with the wrong challenge', async () => {
    const { main } = await import('../src/cli/main');
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vp-'));
    const vp = await presentation('eddsa-rdfc-2022');
    const file = path.join(dir, 'vp.json');
    fs.writeFileSync(file, JSON.stringify(vp));
    const run = async (...args: string[]) => {
      let stdout = '';
      let stderr = '';
      const code = await main(['verify-presentation', file, '--now', NOW.toISOString(), ...args], {
        stdout: (s) => (stdout += s),
        stderr: (s) => (stderr += s),
      });
      return { code, stdout, stderr };
    };
    const ok = await run('--challenge', challenge, '--domain', domain);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^PRESENTATION VERIFIED/);
    expect(ok.stdout).toMatch(/Credential 2 of 2/);
    const wrong = await run('--challenge', 'replayed', '--domain', domain, '--json');
    expect(wrong.code).toBe(1);
    expect(JSON.parse(wrong.stdout).checks.find((c: { check: string }) => c.check === 'challenge').code).toBe(
      'CHALLENGE_MISMATCH',
    );
    const jwtFile = path.join(dir, 'vp.jwt');
    fs.writeFileSync(jwtFile, (await presentation('vp-jwt')) as unknown as string);
    let out = '';
    expect(
      await main(
        ['verify-presentation', jwtFile, '--challenge', challenge, '--domain', domain, '--now', NOW.toISOString()],
        { stdout: (s) => (out += s), stderr: () => {} },
      ),
    ).toBe(0);
    expect((await run('--max-age', 'soon')).code).toBe(2);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('issue 19: without --challenge, or without --domain for a presentation bound to one, exit 1 saying why', async () => {
    const { main } = await import('../src/cli/main');
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vp-'));
    const run = async (file: string, ...args: string[]) => {
      let stdout = '';
      let stderr = '';
      const code = await main(['verify-presentation', file, '--now', NOW.toISOString(), ...args], {
        stdout: (s) => (stdout += s),
        stderr: (s) => (stderr += s),
      });
      return { code, stdout, stderr };
    };
    const file = path.join(dir, 'vp.json');
    fs.writeFileSync(file, JSON.stringify(await presentation('eddsa-rdfc-2022')));
    const jwtFile = path.join(dir, 'vp.jwt');
    fs.writeFileSync(jwtFile, (await presentation('vp-jwt')) as unknown as string);
    for (const f of [file, jwtFile]) {
      const none = await run(f);
      expect(none.code).toBe(1);
      expect(none.stdout).not.toMatch(/PRESENTATION VERIFIED/);
      expect(none.stderr).toMatch(/give --challenge/);
      const noDomain = await run(f, '--challenge', challenge);
      expect(noDomain.code).toBe(1);
      expect(noDomain.stderr).toContain(`bound to the domain "${domain}"`);
      expect((await run(f, '--challenge', challenge, '--domain', domain)).code).toBe(0);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('presentation resource budget', () => {
  it('the presentation and all its credentials share one resolver budget (12 did:web issuers: 8 asked, each once)', async () => {
    const { didWebDocument, didWebUrl } = await import('../src');
    const docs = new Map<string, unknown>();
    const credentials = [];
    for (let i = 0; i < 12; i++) {
      const did = `did:web:issuer${i}.example`;
      const key = generateKey({ controller: did });
      docs.set(didWebUrl(did), didWebDocument(key, did));
      credentials.push(await issue({ ...credentialFor(learnerKey.controller), issuer: did }, { key, created: issued }));
    }
    const vp = await signPresentation(
      createPresentation({ verifiableCredential: credentials, holder: learnerKey.controller }),
      { key: learnerKey, challenge, created },
    );
    const asked: string[] = [];
    const resolveDocument = async (url: string) => {
      asked.push(url);
      return docs.get(url);
    };
    const report = await verifyPresentation(vp, { challenge, now: NOW, resolveDocument });
    expect(asked.length).toBe(8);
    expect(new Set(asked).size).toBe(8);
    expect(report.credentials.filter((c) => c.verified)).toHaveLength(8);
    expect(report.verified).toBe(false);
  });
});

describe('presentation: hostile objects', () => {
  it('a getter that throws is a failed report, not an exception', async () => {
    const hostile = {
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      get type(): string[] {
        throw new Error('boom');
      },
    };
    const report = await verifyPresentation(hostile, { challenge });
    expect(report.verified).toBe(false);
    expect(report.checks[0]).toMatchObject({ check: 'parse', status: 'fail' });
  });

  it('a step that throws is reported under its own check (the pipeline shape of verify), earlier checks kept', async () => {
    // The presentation is read once (a copy), so the throw comes from the caller's clock: the proof step reads it.
    class Clock extends Date {
      override getTime(): number {
        if (new Error().stack?.includes('proofStep')) throw new TypeError('boom');
        return super.getTime();
      }
    }
    const options = { allowUnsigned: true, now: new Clock() };
    const hostile = {
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      type: ['VerifiablePresentation'],
      holder: 'did:example:h',
    };
    const report = await verifyPresentation(hostile, options);
    expect(report.verified).toBe(false);
    expect(report.checks.map((c) => [c.check, c.status, c.code])).toEqual([
      ['parse', 'pass', undefined],
      ['contexts', 'pass', undefined],
      ['proof', 'fail', 'INTERNAL_ERROR'],
    ]);
  });
});

describe('microcred verify-presentation from standard input (the real command, in a child process)', () => {
  it('reads a VP-JWT from "-"; --help works', async () => {
    const { cli } = await import('./helpers/cli');
    const jwt = (await presentation('vp-jwt')) as unknown as string;
    const ok = cli(
      ['verify-presentation', '-', '--challenge', challenge, '--domain', domain, '--now', NOW.toISOString(), '--json'],
      { input: jwt },
    );
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ verified: true, format: 'vp-jwt', holder: learnerKey.controller });
    expect(
      cli(['verify-presentation', '-', '--challenge', 'other', '--now', NOW.toISOString()], { input: jwt }).code,
    ).toBe(1);
    const help = cli(['verify-presentation', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/usage: microcred verify-presentation/);
  }, 120_000);
});

describe('VC-JOSE-COSE presentations (vp+jwt)', () => {
  it('a vp+jwt is the presentation itself (typ vp+jwt, cty vp, no vp claim), verified bare or as an EnvelopedVerifiablePresentation', async () => {
    const { decodeProtectedHeader, decodeJwt } = await import('jose');
    const jwt = (await presentation('vp+jwt')) as unknown as string;
    expect(decodeProtectedHeader(jwt)).toMatchObject({ typ: 'vp+jwt', cty: 'vp', kid: learnerKey.id });
    const payload = decodeJwt(jwt);
    expect(payload.vp).toBeUndefined();
    expect(payload).toMatchObject({
      type: ['VerifiablePresentation'],
      holder: learnerKey.controller,
      nonce: challenge,
      aud: domain,
    });
    const envelope = {
      '@context': 'https://www.w3.org/ns/credentials/v2',
      type: 'EnvelopedVerifiablePresentation',
      id: `data:application/vp+jwt,${jwt}`,
    };
    const report = await verifyPresentation(envelope, { challenge, domain, now: NOW });
    expect(report.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(report.format).toBe('vp+jwt');
    expect(
      (await verifyPresentation({ ...envelope, id: `data:application/vc+jwt,${jwt}` }, { challenge, domain, now: NOW }))
        .verified,
    ).toBe(false);
    // verify() recognises the envelope as a presentation.
    const { verify } = await import('../src');
    expect((await verify(envelope)).checks[0]!.message).toMatch(/verifyPresentation/);
  });
});
