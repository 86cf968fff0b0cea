import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { award, defineIssuer, importKey } from '../src/index';
import { reiProgramme } from '../examples/rei-programme';
import { runNativeChecks, type NativeCheckInputs, type NativeCheckResult } from './browser/native-checks';
import { bundleForBrowser, hasChromium, openInChromium } from './helpers/browser';
import { readFixtureJson, readFixtureText } from './helpers/fixtures';

/**
 * WebCrypto's Ed25519 and SHA-256 in a real browser, against the Node path (node:crypto) and the W3C vc-di-eddsa
 * vectors: hashes, signatures, proof values, verdicts (including signatures every implementation must refuse), proof
 * sets and the seed credential issued and verified, identical on every path. The same checks run a second time in a
 * page whose WebCrypto refuses Ed25519, where noble signs and verifies; both pages report which implementation ran.
 * (noble's SHA-256, for platforms without WebCrypto at all, is held to node:crypto's in test/hash-data.test.ts.)
 */
const run = hasChromium || process.env.CI ? describe : describe.skip;

const TV = 'w3c-vc-di-eddsa/TestVectors';
type Json = Record<string, unknown>;
const keyPair = readFixtureJson<NativeCheckInputs['keyPair']>(TV, 'keyPair.json');
const key = importKey({ secretKeyMultibase: keyPair.privateKeyMultibase });
const inputs: NativeCheckInputs = {
  keyPair,
  unsigned: readFixtureJson<Json>(TV, 'unsigned.json'),
  rdfcConfig: readFixtureJson<Json>(TV, 'eddsa-rdfc-2022', 'proofConfigDataInt.json'),
  jcsConfig: readFixtureJson<Json>(TV, 'eddsa-jcs-2022', 'proofConfigJCS.json'),
  rdfcSigned: readFixtureJson(TV, 'eddsa-rdfc-2022', 'signedDataInt.json'),
  jcsSigned: readFixtureJson(TV, 'eddsa-jcs-2022', 'signedJCS.json'),
  proofSets: Object.fromEntries(
    ['signedProofSet1.json', 'signedProofSet2.json', 'signedProofChain1.json', 'signedProofChain2.json'].map((f) => [
      f,
      readFixtureJson<Json>(TV, 'proof-set-chain', f),
    ]),
  ),
  seed: award(reiProgramme.parts[0]!, {
    issuer: defineIssuer({ id: key.controller, name: 'University of Tartu', country: 'EE' }),
    learner: { email: 'mari.maasikas@example.ee' },
    grade: 'A',
    awardedOn: '2024-01-26',
    id: 'urn:uuid:8a5f1d62-0000-4000-8000-000000000001',
  }) as unknown as Json,
};
const text = (...p: string[]) => readFixtureText(TV, ...p).trim();

/** What only differs by where it ran: which implementations did the work. */
const withoutPaths = ({ paths: _paths, ...rest }: NativeCheckResult) => rest;

run('native WebCrypto Ed25519 and SHA-256 in Chromium, byte for byte against Node', () => {
  let inNode: NativeCheckResult;
  let bundle: string;
  beforeAll(async () => {
    inNode = await runNativeChecks(inputs);
    bundle = await bundleForBrowser('test/browser/native-entry.ts');
  }, 60_000);
  const pages: { close: () => Promise<void> }[] = [];
  afterAll(async () => {
    for (const p of pages) await p.close();
  });
  async function inChromium(query = ''): Promise<NativeCheckResult> {
    const page = await openInChromium(bundle, query);
    pages.push(page);
    return page.evaluate<NativeCheckResult>(`window.runNativeChecks(${JSON.stringify(inputs)})`);
  }

  it('Node matches the W3C vectors (the reference the browser is held to)', () => {
    expect(inNode.rdfcHashHex).toBe(text('eddsa-rdfc-2022', 'combinedHashDataInt.txt'));
    expect(inNode.jcsHashHex).toBe(text('eddsa-jcs-2022', 'combinedHashJCS.txt'));
    expect(inNode.rdfcSignatureHex).toBe(text('eddsa-rdfc-2022', 'sigHexDataInt.txt'));
    expect(inNode.rdfcProofValue).toBe(text('eddsa-rdfc-2022', 'sigBTC58DataInt.txt'));
    expect(inNode.jcsProofValue).toBe(text('eddsa-jcs-2022', 'sigBTC58JCS.txt'));
    expect(JSON.parse(inNode.rdfcCreated)).toEqual(inputs.rdfcSigned);
    expect(JSON.parse(inNode.jcsCreated)).toEqual(inputs.jcsSigned);
    expect(inNode.vectorVerdicts).toEqual({
      rdfc: { verified: true, code: null },
      jcs: { verified: true, code: null },
      rdfcTampered: { verified: false, code: 'INVALID_SIGNATURE' },
      jcsTampered: { verified: false, code: 'INVALID_SIGNATURE' },
    });
    expect(inNode.ed25519Verdicts).toEqual({
      valid: true,
      flipped: false,
      sPlusL: false,
      otherMessage: false,
      shortSignature: false,
    });
    expect(Object.values(inNode.proofSets)).toEqual([true, true, true, true]);
    for (const format of ['eddsa-rdfc-2022', 'eddsa-jcs-2022']) expect(inNode.seed[format]!.verified).toBe(true);
    expect(inNode.paths.ed25519.node).toBeGreaterThan(0);
    expect(inNode.paths.sha256.node).toBeGreaterThan(0);
  });

  it('Chromium with WebCrypto: the same bytes and verdicts, all Ed25519 and SHA-256 done natively', async () => {
    const inBrowser = await inChromium();
    expect(withoutPaths(inBrowser)).toEqual(withoutPaths(inNode));
    expect(inBrowser.paths.ed25519).toMatchObject({ node: 0, noble: 0 });
    expect(inBrowser.paths.ed25519.webcrypto).toBeGreaterThan(10);
    expect(inBrowser.paths.sha256).toMatchObject({ node: 0, noble: 0 });
    expect(inBrowser.paths.sha256.webcrypto).toBeGreaterThan(10);
  }, 60_000);

  it('Chromium whose WebCrypto has no Ed25519: noble signs and verifies, with the same bytes and verdicts', async () => {
    const inBrowser = await inChromium('?no-webcrypto-ed25519');
    expect(withoutPaths(inBrowser)).toEqual(withoutPaths(inNode));
    expect(inBrowser.paths.ed25519).toMatchObject({ node: 0, webcrypto: 0 });
    expect(inBrowser.paths.ed25519.noble).toBeGreaterThan(10);
    expect(inBrowser.paths.sha256.webcrypto).toBeGreaterThan(10);
  }, 60_000);
});
