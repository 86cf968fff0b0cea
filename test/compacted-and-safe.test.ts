import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkCompactedForm } from '../src/jsonld/compacted-form';
import { compactedAndSafe } from '../src/jsonld/compacted-and-safe';
import { scanDocumentBounds } from '../src/jsonld/document-bounds';
import { checkSafeMode } from '../src/jsonld/fast';
import { defaultDocumentLoader } from '../src/jsonld/loader';
import { formTestBases, mutate, mutation } from './helpers/form-rewrites';
import { buildMicroCredential, microCredentialInputs } from './helpers/generated-micro-credentials';
import { benchIssuer } from '../bench/fixtures';

/**
 * `compactedAndSafe` makes the compacted-form checks inside the safe-mode walk (`issue` of a JSON-signed credential
 * needs both). Whenever it says yes, `checkCompactedForm` must say "compacted" and `checkSafeMode` must pass; when it
 * cannot tell it says no, and the two run on their own. Held to that on every fixture, the seed, large and signed
 * credentials, generated micro-credentials and thousands of rewrites of them; and it must say yes for ordinary
 * credentials, or it saves nothing.
 */

type Doc = Record<string, unknown>;

async function safeMode(doc: Doc): Promise<boolean> {
  return checkSafeMode(doc).then(
    () => true,
    () => false,
  );
}

/** Returns whether the one walk answered. */
async function expectImplied(doc: Doc, label = ''): Promise<boolean> {
  const both = await compactedAndSafe(doc, defaultDocumentLoader, scanDocumentBounds(doc, 256));
  if (both) {
    expect(await checkCompactedForm(doc), label).toEqual({ status: 'compacted' });
    expect(await safeMode(doc), label).toBe(true);
  }
  return both;
}

const bases: { label: string; doc: Doc }[] = [];

beforeAll(async () => {
  bases.push(...(await formTestBases({ alsoWithoutProof: true })));
});

describe('one walk for the compacted-form and safe-mode checks says yes only when both pass', () => {
  it('on every fixture (with and without its proofs) and the seed, large and signed credentials', async () => {
    let answered = 0;
    for (const { label, doc } of bases) if (await expectImplied(doc, label)) answered++;
    expect(bases.length).toBeGreaterThan(200);
    expect(await expectImplied(bases[0]!.doc), 'seed').toBe(true);
    expect(await expectImplied(bases[1]!.doc), 'large').toBe(true);
    expect(answered).toBeGreaterThan(40);
  });

  it('leaves embedded credentials to the compacted-form check, which checks each in its own contexts', async () => {
    const seed = bases[0]!.doc;
    const achievement = (seed.credentialSubject as Doc).achievement as Doc;
    const endorsement = { type: ['VerifiableCredential', 'EndorsementCredential'], name: 'e' };
    const variants: Doc[] = [
      { ...seed, endorsement: [endorsement] },
      { ...seed, endorsement },
      { ...seed, endorsement: 'https://x.example/e' },
      {
        ...seed,
        credentialSubject: { ...(seed.credentialSubject as Doc), achievement: { ...achievement, endorsement } },
      },
    ];
    for (const [i, doc] of variants.entries()) {
      expect(await expectImplied(doc, `variant ${i}`), `variant ${i}`).toBe(false);
    }
  });

  it('answers for generated micro-credentials', async () => {
    const issuer = benchIssuer('did:example:issuer');
    let answered = 0;
    let built = 0;
    await fc.assert(
      fc.asyncProperty(microCredentialInputs(fc.string({ maxLength: 30 })), async (inputs) => {
        const made = buildMicroCredential(inputs, issuer);
        if (!made) return;
        built++;
        if (await expectImplied(made.credential as unknown as Doc)) answered++;
      }),
      { numRuns: 150 },
    );
    expect(answered).toBe(built);
  });

  it('on 2,500 rewrites of them', async () => {
    let answered = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 4 }), async (pick, mutations) => {
        const base = bases[pick % Math.min(bases.length, 40)]!;
        const doc = structuredClone(base.doc);
        for (const m of mutations) mutate(doc, m);
        if (await expectImplied(doc, base.label)) answered++;
        else if ((await checkCompactedForm(doc)).status === 'not-compacted') refused++;
      }),
      { numRuns: 2500 },
    );
    // Both ways are exercised many times: answered by the one walk, and refused by the compacted-form check.
    expect(answered).toBeGreaterThan(40);
    expect(refused).toBeGreaterThan(500);
  });
});
