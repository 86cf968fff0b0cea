import fs from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reiProgramme, university } from '../examples/rei-programme';
import { award } from '../src';
import { validate } from '../src/schema/validate';
import { SplitValidator } from '../src/roster/split-schema';

/**
 * A roster validates its frozen achievement once and each credential's skeleton (the achievement swapped for a small
 * stand-in of the same type) after that (src/roster/split-schema.ts). Held to `validate` of the whole credential on
 * generated rosters, hostile values everywhere outside the achievement, achievements the schema refuses, and
 * achievements of another type; and the schemas held to the shape that makes the split exact.
 */

type Doc = Record<string, unknown>;

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

const course = reiProgramme.parts[0]!;
const base = award(course, {
  learner: { email: 'learner@example.ee' },
  grade: 'B',
  awardedOn: '2024-01-26',
  issuer: university,
}) as unknown as Doc;
const subjectOf = (doc: Doc) => doc.credentialSubject as Doc;
const seedAchievement = subjectOf(base).achievement as Doc;

/** The achievements a roster may hold: the seed's, one the schema refuses, one without the EU type, one refused there. */
function achievements(): Doc[] {
  const { name: _name, ...nameless } = structuredClone(seedAchievement);
  const plain: Doc = { ...structuredClone(seedAchievement), type: ['Achievement'] };
  const { criteria: _criteria, ...plainWithoutCriteria } = plain;
  const badOutcome = { ...structuredClone(seedAchievement), learningOutcome: [] };
  return [structuredClone(seedAchievement), nameless, plain, plainWithoutCriteria, badOutcome].map(deepFreeze);
}

const hostile = fc.oneof(
  fc.constantFrom(
    '',
    'not a date',
    '2024-13-01T00:00:00Z',
    '@id',
    'urn:uuid:x',
    'x'.repeat(5000),
    '\u{1F600}\u0000\uD800',
    null,
    [],
    {},
    7,
  ),
  fc.jsonValue({ maxDepth: 2 }),
);
/** A rewrite outside the achievement: a member of the credential or of its subject set, deleted or given odd keys. */
const rewrite = fc.record({
  where: fc.constantFrom('credential', 'subject', 'issuer'),
  key: fc.constantFrom(
    'id',
    'type',
    'validFrom',
    'awardedDate',
    'name',
    'identifier',
    'result',
    'creditsEarned',
    '@context',
    'address',
    '@type',
    'achievement ',
    'credentialSubject',
  ),
  value: fc.option(hostile, { nil: undefined }),
});

describe('a roster validating its achievement once', () => {
  it('gives validate()’s result on 2,000 credentials sharing a frozen achievement', () => {
    let valid = 0;
    let refused = 0;
    let split = 0;
    fc.assert(
      fc.property(
        fc.nat(),
        fc.array(fc.array(rewrite, { maxLength: 2 }), { minLength: 4, maxLength: 4 }),
        (pick, credentials) => {
          const all = achievements();
          const achievement = all[pick % all.length]!;
          const validator = new SplitValidator(achievement);
          for (const rewrites of credentials) {
            const doc = structuredClone(base);
            subjectOf(doc).achievement = achievement;
            for (const { where, key, value } of rewrites) {
              const target = where === 'credential' ? doc : where === 'subject' ? subjectOf(doc) : doc.issuer;
              if (typeof target !== 'object' || target === null || Array.isArray(target)) continue;
              if (key === 'achievement ' && where === 'subject') continue;
              if (value === undefined) delete (target as Doc)[key];
              else (target as Doc)[key] = value;
            }
            const ours = validator.validate(doc);
            expect(ours).toEqual(validate(doc));
            if (ours.valid) valid++;
            else refused++;
          }
          split += validator.split;
        },
      ),
      { numRuns: 500 },
    );
    expect(valid).toBeGreaterThan(200);
    expect(refused).toBeGreaterThan(200);
    expect(split).toBeGreaterThan(100);
  });

  it('validates whole a credential whose achievement is not the roster’s, or before the achievement was found valid', () => {
    const [achievement] = achievements();
    const validator = new SplitValidator(achievement!);
    const doc = structuredClone(base);
    subjectOf(doc).achievement = achievement;
    expect(validator.validate(doc).valid).toBe(true);
    expect(validator.validate(doc).valid).toBe(true);
    expect(validator.split).toBe(1);
    // A copy with one member changed is another achievement, validated whole.
    const other = structuredClone(base);
    subjectOf(other).achievement = { ...achievement!, name: 7 };
    expect(validator.validate(other)).toEqual(validate(other));
    expect(validator.validate(other).valid).toBe(false);
    // A frozen achievement the schema refuses is never taken as valid, however valid the rest.
    const refused = achievements()[1]!;
    const strict = new SplitValidator(refused);
    const withRefused = structuredClone(base);
    subjectOf(withRefused).achievement = refused;
    for (let i = 0; i < 3; i++) expect(strict.validate(withRefused)).toEqual(validate(withRefused));
    expect(strict.split).toBe(0);
  });

  it('the stand-in is accepted with and without the EU type, so the split is used for the seed roster', () => {
    for (const type of [seedAchievement.type, ['Achievement']]) {
      const achievement = deepFreeze({ ...structuredClone(seedAchievement), type });
      const validator = new SplitValidator(achievement);
      const doc = structuredClone(base);
      subjectOf(doc).achievement = achievement;
      validator.validate(doc);
      validator.validate(doc);
      expect(validator.split).toBe(1);
    }
  });
});

/**
 * The split is exact because, on the way from the root to `$.credentialSubject.achievement`, every schema level is a
 * conjunction (properties, required, type, allOf, $ref) and the one conditional reads only the achievement's type.
 * Any other keyword there (anyOf reaching the achievement, oneOf, not, unevaluated*, additionalProperties, another
 * `if`) could make the achievement's verdict and the rest's depend on each other: this test then fails, and the split
 * must be thought through again.
 */
describe('the schemas are conjunctive on the way to the achievement', () => {
  const schemas: Record<string, Doc> = {};
  for (const file of ['ob3-credential.schema.json', 'eu-microcredential-v1.schema.json']) {
    const schema = JSON.parse(fs.readFileSync(new URL(`../schemas/${file}`, import.meta.url), 'utf8')) as Doc;
    schemas[schema.$id as string] = schema;
  }
  const resolve = (ref: string, from: Doc): [Doc, Doc] => {
    const [uri, pointer = ''] = ref.split('#');
    const root = uri ? schemas[uri]! : from;
    expect(root, ref).toBeDefined();
    let node: unknown = root;
    for (const step of pointer.split('/').slice(1)) node = (node as Doc)[step];
    return [node as Doc, root];
  };
  const EU_IF = {
    properties: {
      credentialSubject: {
        type: 'object',
        properties: {
          achievement: {
            type: 'object',
            properties: {
              type: {
                anyOf: [
                  { const: 'EUMicroCredentialAchievement' },
                  { type: 'array', contains: { const: 'EUMicroCredentialAchievement' } },
                ],
              },
            },
            required: ['type'],
          },
        },
        required: ['achievement'],
      },
    },
    required: ['credentialSubject'],
  };
  const CONJUNCTIVE = new Set(['$schema', '$id', '$defs', 'title', 'description', 'type', 'properties', 'required']);

  /** Every schema applied at the instance path `steps` below `schema`, checked to be conjunctive above its end. */
  function reach(schema: Doc, root: Doc, steps: readonly string[], seen: Doc[]): void {
    if (steps.length === 0) return;
    seen.push(schema);
    for (const [keyword, value] of Object.entries(schema)) {
      if (keyword === '$ref') reach(...resolve(value as string, root), steps, seen);
      else if (keyword === 'allOf') for (const sub of value as Doc[]) reach(sub, root, steps, seen);
      else if (keyword === 'if') expect(value).toEqual(EU_IF);
      else if (keyword === 'then') reach(value as Doc, root, steps, seen);
      else if (keyword === 'anyOf') {
        // Branches about other members only: no reference, and nothing about the next step.
        const text = JSON.stringify(value);
        expect(text).not.toContain('$ref');
        expect(text).not.toContain(`"${steps[0]}"`);
      } else expect(CONJUNCTIVE.has(keyword), `${keyword} above the achievement`).toBe(true);
    }
    const next = (schema.properties as Doc | undefined)?.[steps[0]!] as Doc | undefined;
    if (next !== undefined) reach(next, root, steps.slice(1), seen);
  }

  it('for both schemas', () => {
    for (const schema of Object.values(schemas)) {
      const seen: Doc[] = [];
      reach(schema, schema, ['credentialSubject', 'achievement'], seen);
      expect(seen.length).toBeGreaterThan(1);
    }
    const eu = schemas['https://w3id.org/microcredentials/schemas/eu-microcredential-v1.schema.json']!;
    expect(JSON.stringify(eu).split('"if"').length - 1).toBe(1);
  });
});
