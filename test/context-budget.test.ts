/**
 * The process-wide cache of compiled contexts is bounded, and the bound is no budget a holder can spend: once
 * crafted credentials have filled it (each with a context list of its own), an honest credential whose context
 * list was not compiled yet still verifies. Reaching the bound forgets the compiled contexts instead of refusing
 * new ones. The bound is lowered here so that a few dozen documents reach it (4,096 in production).
 */
import { afterAll, expect, it } from 'vitest';
import { award, defineIssuer, generateKey, issue, verify } from '../src/index';
import { limitCompiledContexts } from '../src/jsonld/fast/compiled-context';
import { reiProgramme, sampleLearners } from '../examples/rei-programme';

afterAll(() => limitCompiledContexts(undefined));

it('crafted credentials that fill the compiled-context cache do not get an honest credential refused', async () => {
  limitCompiledContexts(24);
  const key = generateKey();
  const issuer = defineIssuer({ id: key.controller, name: 'University of Tartu', country: 'EE' });
  const unsigned = (context?: string[]) => {
    const c = award(reiProgramme.parts[0]!, {
      issuer,
      learner: sampleLearners[0].learner,
      grade: 'A',
      awardedOn: '2024-06-10',
    });
    return context ? { ...c, '@context': context } : c;
  };
  const template = await issue(unsigned(), { key });
  const base = template['@context'] as string[];
  // The honest credential's list is one no crafted credential uses, so it has not been compiled before them.
  const honestList = [...base, 'https://w3id.org/security/data-integrity/v2'];
  const extras = [
    'https://w3id.org/security/multikey/v1',
    'https://www.w3.org/ns/credentials/status/v1',
    'https://purl.imsglobal.org/spec/ob/v3p0/extensions.json',
    'https://www.w3.org/ns/did/v1',
    'https://w3id.org/vc/status-list/2021/v1',
    'https://w3id.org/security/suites/ed25519-2020/v1',
  ];
  let crafted = 0;
  for (const a of extras)
    for (const b of extras)
      if (a !== b) {
        // Extra contexts that define no term the credential uses leave its graph, and its signature, as they were.
        await verify({ ...template, '@context': [...base, a, b] });
        crafted++;
      }
  expect(crafted).toBeGreaterThan(24);
  const honest = await issue(unsigned(honestList), { key });
  const report = await verify(honest);
  expect(report.checks.filter((c) => c.status === 'fail')).toEqual([]);
  expect(report.verified).toBe(true);
}, 60_000);
