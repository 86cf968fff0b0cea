/**
 * JSON text is refused for its member names in one order: a name written twice in one object (DUPLICATE_KEY) before
 * a member named `__proto__` (INVALID_INPUT). `refusedName` finds both on one walk of the parsed value; these tests
 * hold it, and the reports of verify and verifyPresentation, to the two checks made one after the other
 * (findDuplicateKey, then protoKeyPath), including past the depth where the walk stops counting and the iterative
 * walk must look.
 */
import { describe, expect, it } from 'vitest';
import { parseCredential, verify, verifyPresentation } from '../src/index';
import { protoKeyPath } from '../src/shared/proto-key';
import { findDuplicateKey, refusedName } from '../src/verify/duplicate-keys';

/** The two checks as they were made before they shared a walk. */
function oneAfterTheOther(text: string): ReturnType<typeof refusedName> {
  const parsed = JSON.parse(text) as unknown;
  const duplicate = findDuplicateKey(text, parsed);
  if (duplicate !== undefined) return { kind: 'duplicate', path: duplicate };
  const proto = protoKeyPath(parsed);
  return proto === undefined ? undefined : { kind: 'proto', path: proto };
}

const nest = (depth: number, inner: string) => '['.repeat(depth) + inner + ']'.repeat(depth);
const DEEP = 300; // past the depth (256) where the count gives up

const texts: Record<string, string> = {
  plain: '{"a":{"b":[1,{"c":2}]},"d":"x"}',
  'duplicate only': '{"a":{"b":1,"b":2}}',
  'proto only': '{"a":[0,{"__proto__":{"x":1}}]}',
  'escaped proto': '{"a":{"\\u005f_proto__":1}}',
  'duplicate, then proto': '{"a":1,"a":2,"b":{"__proto__":1}}',
  'proto, then duplicate': '{"b":{"__proto__":1},"a":1,"a":2}',
  'proto twice': '{"__proto__":1,"__proto__":2}',
  'two protos': '{"a":{"__proto__":1},"b":[{"__proto__":2}]}',
  'a colon in a string': '{"a":"x\\":y","__proto__":1}',
  'deep, proto after': `{"a":${nest(DEEP, '1')},"b":{"__proto__":1}}`,
  'deep, proto inside': `{"a":${nest(DEEP, '{"__proto__":1}')}}`,
  'deep, proto before': `{"b":{"__proto__":1},"a":${nest(DEEP, '1')}}`,
  'deep, duplicate inside, proto after': `{"a":${nest(DEEP, '{"k":1,"k":2}')},"b":{"__proto__":1}}`,
  'deep, nothing': `{"a":${nest(DEEP, '{"k":1}')}}`,
};

describe('refusedName', () => {
  it('finds what the duplicate check, then the __proto__ check, found', () => {
    for (const [name, text] of Object.entries(texts)) {
      expect(refusedName(text, JSON.parse(text)), name).toEqual(oneAfterTheOther(text));
    }
    expect(refusedName(texts['duplicate, then proto']!, JSON.parse(texts['duplicate, then proto']!))).toEqual({
      kind: 'duplicate',
      path: '$.a',
    });
    expect(refusedName(texts['deep, proto after']!, JSON.parse(texts['deep, proto after']!))).toEqual({
      kind: 'proto',
      path: '$.b.__proto__',
    });
  });

  it('gives verify the same report: a repeated name first, then __proto__, with their paths and messages', async () => {
    const parseCheck = async (input: string) => (await verify(input)).checks.find((c) => c.check === 'parse');
    for (const text of [texts['duplicate, then proto']!, texts['proto, then duplicate']!]) {
      expect(await parseCheck(text)).toMatchObject({
        status: 'fail',
        code: 'DUPLICATE_KEY',
        path: '$.a',
        message:
          'The credential names $.a twice; JSON with a repeated name can be read two ways, so it is not accepted',
      });
    }
    for (const text of [texts['proto only']!, texts['deep, proto after']!]) {
      const path = protoKeyPath(JSON.parse(text))!;
      expect(await parseCheck(text)).toMatchObject({
        status: 'fail',
        code: 'INVALID_INPUT',
        path,
        message: `The credential has a member named "__proto__" (${path}); JavaScript can read it as something else, so it is not accepted`,
      });
    }
  });

  it('orders the refusals the same way in a JWT payload and in a presentation', async () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64url');
    const jwt = (payload: string) => `${b64('{"alg":"EdDSA"}')}.${b64(payload)}.c2ln`;
    await expect(parseCredential(jwt(texts['proto, then duplicate']!))).rejects.toMatchObject({
      code: 'DUPLICATE_KEY',
      path: '$.a',
    });
    await expect(parseCredential(jwt(texts['deep, proto after']!))).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      path: '$.b.__proto__',
    });
    const presentation = (extra: string) =>
      `{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiablePresentation"],${extra}}`;
    const failure = async (text: string) => (await verifyPresentation(text)).checks.find((c) => c.status === 'fail');
    expect(await failure(presentation('"b":{"__proto__":1},"a":1,"a":2'))).toMatchObject({
      check: 'parse',
      code: 'DUPLICATE_KEY',
      path: '$.a',
      message:
        'The presentation names $.a twice; JSON with a repeated name can be read two ways, so it is not accepted',
    });
    expect(await failure(presentation(`"a":${nest(DEEP, '1')},"b":{"__proto__":1}`))).toMatchObject({
      check: 'parse',
      code: 'INVALID_INPUT',
      path: '$.b.__proto__',
    });
  });
});
