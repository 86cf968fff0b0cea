import { describe, expect, it } from 'vitest';
import { generateKey, issue, verify } from '../src';
import { contextLimitProblem } from '../src/jsonld/context-limits';
import { benchIssuer, seedCredential } from '../bench/fixtures';

/**
 * A caller's credential object may contain itself. The context-limit walk, the first to read every member, never
 * ended on one: its list of pending members grew until V8 gave up and the whole process died. It now
 * refuses once it has met more objects and arrays than a document within the size limit can hold, which a cycle
 * always reaches (asking JSON.stringify whether it is a cycle would be fooled by a toJSON method).
 */

type Doc = Record<string, unknown>;

function cyclic(): Doc {
  const key = generateKey();
  const credential = structuredClone(seedCredential(benchIssuer(key.controller))) as unknown as Doc;
  (credential.credentialSubject as Doc).again = credential;
  return credential;
}

describe('a credential object that contains itself', () => {
  it('is refused by verify with a report, not the death of the process', async () => {
    const report = await verify(cyclic());
    expect(report.verified).toBe(false);
    const failed = report.checks.find((c) => c.status === 'fail');
    // Read once into plain data before any check (src/shared/read-once.ts): refused there.
    expect(failed).toMatchObject({ check: 'parse', code: 'CANONICALIZATION_LIMIT', path: '$' });
  }, 60_000);

  it('is refused by issue with CANONICALIZATION_LIMIT', async () => {
    const key = generateKey();
    const credential = structuredClone(seedCredential(benchIssuer(key.controller))) as unknown as Doc;
    (credential.credentialSubject as Doc).again = credential;
    await expect(issue(credential as never, { key, format: 'eddsa-jcs-2022' })).rejects.toMatchObject({
      code: 'CANONICALIZATION_LIMIT',
    });
  }, 60_000);

  it('is refused however it hides the cycle from JSON.stringify (a toJSON method)', async () => {
    const key = generateKey();
    // A member that contains itself behind a toJSON that writes something harmless.
    const behindMember = structuredClone(seedCredential(benchIssuer(key.controller))) as unknown as Doc;
    const loop: Doc = { toJSON: () => 'x' };
    loop.self = loop;
    (behindMember.credentialSubject as Doc).loop = loop;
    // The whole credential written as {} by its own toJSON, and containing itself.
    const behindDocument = structuredClone(seedCredential(benchIssuer(key.controller))) as unknown as Doc;
    (behindDocument.credentialSubject as Doc).again = behindDocument;
    behindDocument.toJSON = () => ({});
    for (const credential of [behindMember, behindDocument]) {
      const report = await verify(credential);
      expect(report.verified).toBe(false);
      expect(report.checks.find((c) => c.status === 'fail')).toMatchObject({
        code: 'CANONICALIZATION_LIMIT',
        path: '$',
      });
      await expect(issue(credential as never, { key, format: 'eddsa-jcs-2022' })).rejects.toMatchObject({
        code: 'CANONICALIZATION_LIMIT',
      });
    }
  }, 120_000);

  it('refuses more objects and arrays than a credential within the size limit holds, and nothing below that', () => {
    const key = generateKey();
    const big = structuredClone(seedCredential(benchIssuer(key.controller))) as unknown as Doc;
    // 2.1 million empty arrays are over 6 MB of JSON: over the 4 MB size limit whatever else is wrong.
    (big.credentialSubject as Doc).many = Array.from({ length: 2_100_000 }, () => []);
    expect(contextLimitProblem(big)).toMatchObject({ path: '$' });
    (big.credentialSubject as Doc).many = Array.from({ length: 1_000_000 }, () => []);
    expect(contextLimitProblem(big)).toBeUndefined();
    // Shared (not cyclic) members are walked as often as JSON writes them.
    const shared = { '@context': ['https://www.w3.org/ns/credentials/v2'], a: [] as unknown[] };
    const leaf = { x: 1 };
    for (let i = 0; i < 1000; i++) shared.a.push(leaf);
    expect(contextLimitProblem(shared)).toBeUndefined();
  }, 60_000);
});
