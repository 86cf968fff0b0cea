// Runs inside Chromium: proves the isomorphic entry works with no Node built-ins, no network and no eval.
import { award, defineIssuer, generateKey, issue, presentSdJwt, readMicroCredential, verify } from '../../src/index';
import { canonicalizeRdf, expand } from '../../src/entries/jsonld';
import { reiProgramme, university } from '../../examples/rei-programme';

declare global {
  interface Window {
    runChecks: () => Promise<Record<string, unknown>>;
  }
}

window.runChecks = async () => {
  const credential = award(reiProgramme.parts[0]!, {
    issuer: university,
    learner: { email: 'mari@example.ee' },
    grade: 'A',
    awardedOn: '2024-01-20',
    id: 'urn:uuid:00000000-0000-4000-8000-000000000001',
  });
  const expanded = await expand(credential);
  const nquads = await canonicalizeRdf(credential);
  let unknownContextCode: string | undefined;
  try {
    await canonicalizeRdf({
      '@context': ['https://www.w3.org/ns/credentials/v2', 'https://evil.example/x'],
      id: 'urn:x',
      type: ['VerifiableCredential'],
    });
  } catch (e) {
    unknownContextCode = (e as { code?: string }).code;
  }
  // An SD-JWT VC issued, presented without the grade and verified in the browser (WebCrypto, DecompressionStream).
  const key = generateKey();
  const sdIssuer = defineIssuer({ id: key.controller, name: 'University of Tartu', country: 'EE' });
  const sdJwt = await issue(
    award(reiProgramme.parts[0]!, {
      issuer: sdIssuer,
      learner: { email: 'mari@example.ee' },
      grade: 'A',
      awardedOn: '2024-01-20',
    }),
    { key, format: 'dc+sd-jwt' },
  );
  const sdReport = await verify(await presentSdJwt(sdJwt, { disclose: ['title', 'workload'] }));
  return {
    sdJwt: {
      verified: sdReport.verified,
      title: sdReport.euElements?.title,
      grade: sdReport.euElements?.grade ?? null,
    },
    expandedNodes: expanded.length,
    nquads,
    missingMandatory: readMicroCredential(credential).missingMandatory,
    unknownContextCode,
    credential,
  };
};
