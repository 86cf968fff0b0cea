/**
 * A status that could not be established fails closed, each kind of problem with its own
 * code; and proofs a holder appends cannot spend the resolver budget that the issuer's proof and its status list need.
 */
import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cli } from './helpers/cli';
import {
  award,
  createPresentation,
  defineIssuer,
  didWebDocument,
  didWebUrl,
  generateKey,
  issue,
  signPresentation,
  verify,
  type VerifyOptions,
} from '../src';
import { Bitstring, statusListCredential, statusListEntry } from '../src/entries/status';
import { reiProgramme } from '../examples/rei-programme';

/** A status entry in the shape award() takes. */
const entry = (input: Parameters<typeof statusListEntry>[0]) =>
  statusListEntry(input) as unknown as { type: string; [k: string]: unknown };
const NOW = new Date('2026-11-29T12:00:00Z');
const LIST = 'https://status.ut.example/lists/1';
const INDEX = 7;
const key = generateKey();
const issuer = defineIssuer({ id: key.controller, name: 'University of Tartu', country: 'EE' });
const credential = award(reiProgramme.parts[0]!, {
  issuer,
  learner: 'did:example:learner',
  grade: 'B',
  awardedOn: '2024-01-26',
  credentialStatus: entry({ listCredentialId: LIST, index: INDEX, purpose: 'revocation' }),
});
const signed = await issue(credential, { key, created: '2024-01-26T00:00:00Z' });

interface ListOptions {
  revoked?: boolean;
  purpose?: string;
  signer?: ReturnType<typeof generateKey>;
  issuerId?: string;
  validFrom?: string;
  validUntil?: string;
  encodedList?: string;
}
async function signedList(o: ListOptions = {}): Promise<Record<string, unknown>> {
  const bits = new Bitstring();
  if (o.revoked) bits.set(INDEX, true);
  const unsigned = (await statusListCredential({
    id: LIST,
    issuer: o.issuerId ?? key.controller,
    purpose: o.purpose ?? 'revocation',
    bitstring: bits,
    validFrom: o.validFrom ?? '2024-01-01T00:00:00Z',
    ...(o.validUntil ? { validUntil: o.validUntil } : {}),
  })) as unknown as Record<string, unknown>;
  if (o.encodedList) (unsigned.credentialSubject as Record<string, unknown>).encodedList = o.encodedList;
  return (await issue(unsigned, { key: o.signer ?? key, created: '2024-01-01T00:00:00Z' })) as unknown as Record<
    string,
    unknown
  >;
}
const serving =
  (list: unknown): VerifyOptions['fetchStatusList'] =>
  async (url) => {
    if (url !== LIST) throw new Error(`unexpected ${url}`);
    return structuredClone(list);
  };
const statusCheck = (r: Awaited<ReturnType<typeof verify>>) => r.checks.find((c) => c.check === 'status');

describe('status fails closed, with a code for each kind of problem', () => {
  it('sanity: a good list passes, a revoked entry is REVOKED', async () => {
    expect((await verify(signed, { now: NOW, fetchStatusList: serving(await signedList()) })).verified).toBe(true);
    const revoked = await verify(signed, { now: NOW, fetchStatusList: serving(await signedList({ revoked: true })) });
    expect(statusCheck(revoked)).toMatchObject({ status: 'fail', code: 'REVOKED' });
  });

  it('no fetcher: NOT VERIFIED (STATUS_UNCHECKED); statusCheck "optional" makes it a warning that says so', async () => {
    const r = await verify(signed, { now: NOW });
    expect(r.verified).toBe(false);
    expect(statusCheck(r)).toMatchObject({
      status: 'fail',
      code: 'STATUS_UNCHECKED',
      message: expect.stringMatching(/revoked is unknown/),
    });
    const optional = await verify(signed, { now: NOW, statusCheck: 'optional' });
    expect(optional.verified).toBe(true);
    expect(statusCheck(optional)).toMatchObject({
      status: 'warn',
      code: 'STATUS_UNCHECKED',
      message: expect.stringMatching(/statusCheck: 'optional'/),
    });
  });

  const cases: [string, () => Promise<VerifyOptions>, string][] = [
    [
      'a network error',
      async () => ({
        fetchStatusList: async () => {
          throw new Error('ECONNRESET');
        },
      }),
      'STATUS_RETRIEVAL_ERROR',
    ],
    [
      'the fetch budget spent (maxFetchedStatusLists: 0)',
      async () => ({ fetchStatusList: serving(await signedList()), maxFetchedStatusLists: 0 }),
      'STATUS_RETRIEVAL_ERROR',
    ],
    [
      'a list issued and signed by someone else',
      async () => {
        const other = generateKey();
        return { fetchStatusList: serving(await signedList({ signer: other, issuerId: other.controller })) };
      },
      'STATUS_LIST_UNTRUSTED',
    ],
    [
      'a list naming the issuer but signed with another key',
      async () => ({
        fetchStatusList: serving(await signedList({ signer: generateKey({ controller: key.controller }) })),
      }),
      'STATUS_LIST_INVALID',
    ],
    [
      'a list for another purpose',
      async () => ({ fetchStatusList: serving(await signedList({ purpose: 'suspension' })) }),
      'STATUS_PURPOSE_MISMATCH',
    ],
    [
      'an expired list',
      async () => ({ fetchStatusList: serving(await signedList({ validUntil: '2025-01-01T00:00:00Z' })) }),
      'STATUS_LIST_EXPIRED',
    ],
    [
      'a tampered list (the revoked bit cleared after signing)',
      async () => {
        const list = await signedList({ revoked: true });
        (list.credentialSubject as Record<string, unknown>).encodedList = (
          (await signedList()).credentialSubject as Record<string, unknown>
        ).encodedList;
        return { fetchStatusList: serving(list) };
      },
      'STATUS_LIST_INVALID',
    ],
    [
      'an unsigned list',
      async () => {
        const { proof: _p, ...bare } = await signedList();
        return { fetchStatusList: serving(bare) };
      },
      'STATUS_LIST_INVALID',
    ],
    [
      'a malformed list',
      async () => ({ fetchStatusList: serving(await signedList({ encodedList: 'u!!!not base64' })) }),
      'STATUS_MALFORMED',
    ],
    [
      'a zip bomb',
      async () => ({
        fetchStatusList: serving(
          await signedList({
            encodedList: 'u' + Buffer.from(gzipSync(new Uint8Array(64 * 1024 * 1024))).toString('base64url'),
          }),
        ),
      }),
      'STATUS_MALFORMED',
    ],
    ['a list that is not JSON', async () => ({ fetchStatusList: async () => 'not json' }), 'STATUS_RETRIEVAL_ERROR'],
  ];
  for (const [what, options, code] of cases) {
    it(`${what}: verified false, ${code}; "optional" turns it into a warning with the same code`, async () => {
      const o = await options();
      const r = await verify(signed, { now: NOW, ...o });
      expect(r.verified, JSON.stringify(statusCheck(r))).toBe(false);
      expect(statusCheck(r)).toMatchObject({ status: 'fail', code });
      const optional = await verify(signed, { now: NOW, ...o, statusCheck: 'optional' });
      expect(statusCheck(optional)).toMatchObject({ status: 'warn', code });
      expect(optional.verified).toBe(true);
    }, 30_000);
  }

  it('microcred verify --offline says so plainly: "could not check" with its own exit code (4); --status-optional accepts it (exit 0) but never reads as plainly authentic', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'status-cli-'));
    try {
      const file = path.join(dir, 'credential.json');
      fs.writeFileSync(file, JSON.stringify(signed));
      const strict = cli(['verify', file, '--offline', '--details']);
      expect(strict.code, strict.stderr).toBe(4);
      expect(strict.stdout.split('\n')[0]).toMatch(/^! Could not check whether it was revoked/);
      expect(strict.stdout).toMatch(/✗ status\s+Whether the credential was revoked is unknown/);
      const optional = cli(['verify', file, '--offline', '--status-optional', '--details']);
      expect(optional.code, optional.stdout).toBe(0);
      expect(optional.stdout.split('\n')[0]).toMatch(/^! Could not check whether it was revoked/);
      expect(optional.stdout).not.toMatch(/VERIFIED|^✓ Authentic/m);
      expect(optional.stdout).toMatch(/! status\s+.*statusCheck: 'optional'/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('"optional" never hides a revocation', async () => {
    const r = await verify(signed, {
      now: NOW,
      statusCheck: 'optional',
      fetchStatusList: serving(await signedList({ revoked: true })),
    });
    expect(r.verified).toBe(false);
    expect(statusCheck(r)).toMatchObject({ status: 'fail', code: 'REVOKED' });
  });
});

describe('junk proofs cannot spend the budget the issuer and the status list signer need', () => {
  const UNI = 'did:web:ut.example';
  const STATUS = 'did:web:status.ut.example';
  const uniKey = generateKey({ controller: UNI });
  const statusKey = generateKey({ controller: STATUS });
  const LIST2 = 'https://status.ut.example/lists/2';

  it('7 appended junk proofs naming new did:web hosts, before a separately signed list that revokes the credential: REVOKED', async () => {
    const revokedCredential = award(reiProgramme.parts[0]!, {
      issuer: defineIssuer({ id: UNI, name: 'University of Tartu', country: 'EE' }),
      learner: 'did:example:learner',
      grade: 'B',
      awardedOn: '2024-01-26',
      credentialStatus: entry({ listCredentialId: LIST2, index: INDEX, purpose: 'revocation' }),
    });
    const good = (await issue(revokedCredential, {
      key: uniKey,
      created: '2024-01-26T00:00:00Z',
    })) as unknown as Record<string, unknown> & { proof: Record<string, unknown>[] };
    const bits = new Bitstring();
    bits.set(INDEX, true);
    const list = await issue(
      (await statusListCredential({
        id: LIST2,
        issuer: STATUS,
        purpose: 'revocation',
        bitstring: bits,
        validFrom: '2024-01-01T00:00:00Z',
      })) as unknown as Record<string, unknown>,
      { key: statusKey, created: '2024-01-01T00:00:00Z' },
    );
    // The holder puts 7 well-formed proofs first, each naming a host of its own; their signatures are copies.
    const junk = Array.from({ length: 7 }, (_, i) => ({
      ...good.proof[0],
      verificationMethod: `did:web:junk${i}.example#key-1`,
    }));
    const tampered = { ...good, proof: [...junk, ...good.proof] };
    const docs = new Map<string, unknown>([
      [didWebUrl(UNI), didWebDocument(uniKey, UNI)],
      [didWebUrl(STATUS), didWebDocument(statusKey, STATUS)],
    ]);
    const asked: string[] = [];
    const resolveDocument = async (url: string) => {
      asked.push(url);
      // Each junk host answers with a document (as an attacker's hosts would), so every one would count against the budget.
      return docs.get(url) ?? { id: `did:web:${new URL(url).hostname}`, verificationMethod: [], assertionMethod: [] };
    };
    const r = await verify(tampered, {
      now: NOW,
      resolveDocument,
      fetchStatusList: async () => list,
      statusListIssuers: [STATUS],
    });
    expect(r.verified).toBe(false);
    expect(statusCheck(r)).toMatchObject({ status: 'fail', code: 'REVOKED' });
    // The issuer's document first, then the status list signer's; junk after them (and the first junk failure stops the rest).
    expect(asked.slice(0, 2)).toEqual([didWebUrl(UNI), didWebUrl(STATUS)]);
    expect(asked.length).toBeLessThanOrEqual(3);
    // Every proof must hold: the junk fails the proof check, while the issuer's own proof is bound.
    expect(r.checks.find((c) => c.check === 'proof')).toMatchObject({ status: 'fail' });
    expect(r.checks.find((c) => c.check === 'keyBinding')).toMatchObject({ status: 'pass' });
    // Even with a budget of two documents, the two that matter are the two resolved.
    asked.length = 0;
    const tight = await verify(tampered, {
      now: NOW,
      resolveDocument,
      fetchStatusList: async () => list,
      statusListIssuers: [STATUS],
      maxResolvedDocuments: 2,
    });
    expect(statusCheck(tight)).toMatchObject({ status: 'fail', code: 'REVOKED' });
    expect(asked).toEqual([didWebUrl(UNI), didWebUrl(STATUS)]);
    // Without the junk, the same credential is just revoked.
    const plain = await verify(good, {
      now: NOW,
      resolveDocument,
      fetchStatusList: async () => list,
      statusListIssuers: [STATUS],
    });
    expect(plain.checks.filter((c) => c.status === 'fail').map((c) => c.code)).toEqual(['REVOKED']);
  });
});

describe('issue 19: a status list counts only at its own URL, and only while fresh', () => {
  const listAt = async (
    id: string | undefined,
    o: { revoked?: boolean; validFrom?: string; validUntil?: string } = {},
  ) => {
    const bits = new Bitstring();
    if (o.revoked) bits.set(INDEX, true);
    const unsigned = (await statusListCredential({
      id: id ?? LIST,
      issuer: key.controller,
      purpose: 'revocation',
      bitstring: bits,
      validFrom: o.validFrom ?? '2024-01-01T00:00:00Z',
      ...(o.validUntil ? { validUntil: o.validUntil } : {}),
    })) as unknown as Record<string, unknown>;
    if (id === undefined) delete unsigned.id;
    return (await issue(unsigned, { key, created: '2024-01-01T00:00:00Z' })) as unknown as Record<string, unknown>;
  };

  it("the issuer's other list (its rollover list), served for the entry's URL, is refused naming both URLs", async () => {
    const other = await listAt(`${LIST}-2`);
    const r = await verify(signed, { now: NOW, fetchStatusList: serving(other) });
    expect(r.verified).toBe(false);
    expect(statusCheck(r)).toMatchObject({ status: 'fail', code: 'STATUS_LIST_INVALID' });
    expect(statusCheck(r)!.message).toContain(LIST);
    expect(statusCheck(r)!.message).toContain(`${LIST}-2`);
  });

  it('a signed list with no id is refused', async () => {
    const r = await verify(signed, { now: NOW, fetchStatusList: serving(await listAt(undefined)) });
    expect(statusCheck(r)).toMatchObject({ status: 'fail', code: 'STATUS_LIST_INVALID' });
    expect(statusCheck(r)!.message).toContain('has no id');
  });

  it('maxStatusListAgeSeconds: a copy older than allowed is refused (STATUS_LIST_EXPIRED); a fresh one is read', async () => {
    const old = await listAt(LIST, { validFrom: '2026-11-20T00:00:00Z' });
    const open = await verify(signed, { now: NOW, fetchStatusList: serving(old) });
    expect(open.verified).toBe(true);
    const bounded = await verify(signed, {
      now: NOW,
      fetchStatusList: serving(old),
      maxStatusListAgeSeconds: 48 * 3600,
    });
    expect(statusCheck(bounded)).toMatchObject({ status: 'fail', code: 'STATUS_LIST_EXPIRED' });
    expect(statusCheck(bounded)!.message).toContain('stale');
    const fresh = await listAt(LIST, { validFrom: '2026-11-29T00:00:00Z', revoked: true });
    expect(
      statusCheck(
        await verify(signed, { now: NOW, fetchStatusList: serving(fresh), maxStatusListAgeSeconds: 48 * 3600 }),
      ),
    ).toMatchObject({ code: 'REVOKED' });
  });

  it('maxStatusListAgeSeconds: a list with no validFrom cannot show its age and is refused', async () => {
    const bits = new Bitstring();
    const unsigned = (await statusListCredential({
      id: LIST,
      issuer: key.controller,
      purpose: 'revocation',
      bitstring: bits,
    })) as unknown as Record<string, unknown>;
    const undated = (await issue(unsigned, { key, created: '2024-01-01T00:00:00Z' })) as unknown as Record<
      string,
      unknown
    >;
    const r = await verify(signed, { now: NOW, fetchStatusList: serving(undated), maxStatusListAgeSeconds: 3600 });
    expect(statusCheck(r)).toMatchObject({ status: 'fail', code: 'STATUS_LIST_EXPIRED' });
  });

  it('a list past its validUntil fails closed', async () => {
    const r = await verify(signed, {
      now: NOW,
      fetchStatusList: serving(await listAt(LIST, { validUntil: '2026-11-01T00:00:00Z' })),
    });
    expect(statusCheck(r)).toMatchObject({ status: 'fail', code: 'STATUS_LIST_EXPIRED' });
  });

  it('an unusable maxStatusListAgeSeconds is misuse (INVALID_INPUT), not a silent no-bound', async () => {
    await expect(verify(signed, { now: NOW, maxStatusListAgeSeconds: Number.NaN })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(verify(signed, { now: NOW, maxStatusListAgeSeconds: -1 })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });
});

describe('microcred verify-presentation: the same status guards as verify', () => {
  it('--max-status-list-age refuses a stale copy (exit 4, not checked), --status-optional accepts it, a fresh revoked list exits 1', async () => {
    const holder = generateKey();
    const vp = await signPresentation(
      createPresentation({ verifiableCredential: [signed], holder: holder.controller }),
      {
        key: holder,
        challenge: 'n-1',
        created: '2026-11-29T11:59:00Z',
      },
    );
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vp-status-'));
    const file = path.join(dir, 'vp.json');
    fs.writeFileSync(file, JSON.stringify(vp));
    const statusDir = path.join(dir, 'status');
    fs.mkdirSync(statusDir);
    // statusListsFrom finds a list by its URL's last segment: LIST ends in /1.
    const publish = (list: unknown) => fs.writeFileSync(path.join(statusDir, '1.json'), JSON.stringify(list));
    const run = (...args: string[]) =>
      cli([
        'verify-presentation',
        file,
        '--challenge',
        'n-1',
        '--now',
        NOW.toISOString(),
        '--status-dir',
        statusDir,
        ...args,
      ]);
    publish(await signedList({ validFrom: '2026-11-20T00:00:00Z' }));
    expect(run().code).toBe(0);
    const stale = run('--max-status-list-age', String(48 * 3600), '--json');
    expect(stale.code).toBe(4);
    expect(
      JSON.parse(stale.stdout).credentials[0].checks.find((c: { check: string }) => c.check === 'status'),
    ).toMatchObject({
      status: 'fail',
      code: 'STATUS_LIST_EXPIRED',
    });
    expect(run('--max-status-list-age', String(48 * 3600), '--status-optional').code).toBe(0);
    expect(run('--max-status-list-age', 'soon').code).toBe(2);
    publish(await signedList({ validFrom: '2026-11-29T00:00:00Z', revoked: true }));
    const revoked = run('--max-status-list-age', String(48 * 3600));
    expect(revoked.code).toBe(1);
    expect(revoked.stdout).toMatch(/revoked/i);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('exit 4 (and 0 with --status-optional) only when unchecked revocation is all that is wrong: never for credentials left unverified', async () => {
    const holder = generateKey();
    // More credentials than a verifier checks: none of them is verified (the forged ones included), the proof is fine.
    const forged = { ...signed, name: 'Forged' };
    const vp = await signPresentation(
      createPresentation({ verifiableCredential: Array(33).fill(forged), holder: holder.controller }),
      { key: holder, challenge: 'n-1', created: '2026-11-29T11:59:00Z', format: 'vp-jwt' },
    );
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vp-unchecked-'));
    const file = path.join(dir, 'vp.jwt');
    fs.writeFileSync(file, vp);
    const run = (...args: string[]) =>
      cli(['verify-presentation', file, '--challenge', 'n-1', '--now', NOW.toISOString(), '--offline', ...args]);
    expect(run().code).toBe(1);
    expect(run('--status-optional').code).toBe(1);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('a status list published a moment after the verification started', () => {
  it("is not refused as not yet valid within the verifier's clock skew; one dated further ahead still is", async () => {
    const justPublished = await signedList({ validFrom: new Date(NOW.getTime() + 2_000).toISOString() });
    const r = await verify(signed, { now: NOW, fetchStatusList: serving(justPublished) });
    expect(statusCheck(r)).toMatchObject({ status: 'pass' });
    const ahead = await signedList({ validFrom: new Date(NOW.getTime() + 3_600_000).toISOString() });
    const later = await verify(signed, { now: NOW, fetchStatusList: serving(ahead) });
    expect(statusCheck(later)).toMatchObject({ status: 'fail', code: 'STATUS_LIST_EXPIRED' });
    expect(statusCheck(later)!.message).toMatch(/not valid until/);
    const strict = await verify(signed, { now: NOW, clockSkewSeconds: 0, fetchStatusList: serving(justPublished) });
    expect(statusCheck(strict)).toMatchObject({ status: 'fail', code: 'STATUS_LIST_EXPIRED' });
  });

  it('checkStatus refuses an unreadable clockSkewSeconds rather than switching the check off', async () => {
    const { checkStatus } = await import('../src/entries/status');
    await expect(
      checkStatus(signed, { fetchStatusList: serving(await signedList())!, clockSkewSeconds: Number.NaN }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
