/**
 * A member named `__proto__` is refused wherever a verifier reads a holder's JSON. JSON.parse keeps it an own key,
 * but canonicalization dropped it (so an eddsa-rdfc-2022 signature still held) while a later copy made by assignment
 * turned it into the prototype of the merged node, and the EU-elements reader then took its contents for the
 * issuer's: a credential signed without prerequisites verified, listing prerequisites the issuer never signed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { generateKey, issue, verify, verifyPresentation, type Ed25519Key } from '../src/index';
import { protoKeyPath } from '../src/shared/proto-key';
import { benchIssuer, seedCredential } from '../bench/fixtures';

type Doc = Record<string, unknown>;
let key: Ed25519Key;
let text: string;
let forged: string;
const failed = (report: { checks: { check: string; status: string; code?: string }[] }) =>
  report.checks.filter((c) => c.status === 'fail').map((c) => `${c.check}:${c.code}`);

beforeAll(async () => {
  key = generateKey();
  const seed = seedCredential(benchIssuer(key.controller)) as unknown as Doc & { credentialSubject: Doc };
  delete (seed.credentialSubject.achievement as Doc).entryRequirement;
  const signed = JSON.parse(JSON.stringify(await issue(seed as never, { key, format: 'eddsa-rdfc-2022' }))) as Doc & {
    credentialSubject: { achievement: Doc };
    issuer: string | { id: string };
  };
  text = JSON.stringify(signed);
  const achievement = JSON.stringify(signed.credentialSubject.achievement);
  const issuerId = typeof signed.issuer === 'string' ? signed.issuer : signed.issuer.id;
  forged = text
    .replace(
      achievement,
      achievement.replace('{', '{"__proto__":{"entryRequirement":"UNSIGNED: none, holder is exempt"},'),
    )
    .replace('{', `{"__proto__":{"x":{"id":${JSON.stringify(issuerId)}}},`);
});

describe('a member named __proto__', () => {
  it('is refused in a credential given as JSON text or as an object, before any check reads it', async () => {
    expect((await verify(text)).verified).toBe(true);
    for (const input of [forged, JSON.parse(forged) as Doc]) {
      const report = await verify(input);
      expect(report.verified).toBe(false);
      expect(failed(report)).toEqual(['parse:INVALID_INPUT']);
      expect(JSON.stringify(report)).not.toContain('UNSIGNED');
    }
    // Written with escapes, it is the same name once parsed.
    const escaped = text.replace('{', '{"\\u005f_proto__":{"x":1},');
    expect(failed(await verify(escaped))).toEqual(['parse:INVALID_INPUT']);
  });

  it('is refused in a presentation, and in a credential inside one', async () => {
    const presentation = `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiablePresentation"],"__proto__":{"holder":"did:example:x"},"verifiableCredential":[${text}]}`;
    const report = await verifyPresentation(presentation);
    expect(report.verified).toBe(false);
    expect(report.checks.find((c) => c.status === 'fail')).toMatchObject({ check: 'parse', code: 'INVALID_INPUT' });
    const inside = await verifyPresentation(
      `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiablePresentation"],"verifiableCredential":[${forged}]}`,
    );
    expect(inside.verified).toBe(false);
    expect(protoKeyPath(JSON.parse('[{"a":{"b":[0,{"__proto__":1}]}}]'))).toBe('$[0].a.b[1].__proto__');
    expect(protoKeyPath(JSON.parse('{"a":{"b":[0,{"__protox":1}]}}'))).toBeUndefined();
  });
});
