/**
 * `microcred verify` names a credential's language in English words ("Estonian"), not its code ("et"); the code as
 * the credential gives it stays in --json (the verdict's element value is unchanged).
 */
import { describe, expect, it } from 'vitest';
import { award, defineIssuer, generateKey, issue, verify } from '../src';
import { formatReport, languageWords } from '../src/cli/report';
import { reiProgramme, sampleLearners } from '../examples/rei-programme';

describe('the language element in the CLI', () => {
  it('reads "Language: Estonian" for a credential in "et", and the report keeps the code', async () => {
    const key = generateKey();
    const issuer = defineIssuer({ id: key.controller, name: 'University of Tartu', country: 'EE' });
    const course = award(reiProgramme.parts[0]!, { issuer, learner: sampleLearners[0].learner, grade: 'A' });
    const report = await verify(await issue(course, { key }), { statusCheck: 'optional' });
    expect(report.verdict.elements.find((e) => e.key === 'language')?.value).toBe('et');
    const text = formatReport(report);
    expect(text).toMatch(/^ {2}Language: +Estonian$/m);
    expect(text).not.toMatch(/Language: +et\b/);
  });
  it('several tags, and tags no runtime can name, are handled', () => {
    expect(languageWords('et, en')).toBe('Estonian, English');
    expect(languageWords('qqx')).toBe('qqx');
    expect(languageWords('not a tag!')).toBe('not a tag!');
  });
});
