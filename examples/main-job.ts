/**
 * The main job, end to end against the built package: describe the seed programme, award it and its five courses
 * to the sample learners, check every credential (JSON-LD safe mode, schema, EU elements) and print a report.
 * Run with `npm run main-job` after `npm run build`.
 */
import { award, expand, readMicroCredential, type MicroCredentialCredential } from 'microcredentials';
import { reiProgramme, sampleLearners, university } from './rei-programme';

async function main(): Promise<void> {
  const credentials: { who: string; what: string; credential: MicroCredentialCredential }[] = [];
  for (const [n, sample] of sampleLearners.entries()) {
    const who = `learner ${n + 1}`;
    sample.autumn.forEach((grade, i) => {
      const part = reiProgramme.parts[i]!;
      credentials.push({ who, what: part.title, credential: award(part, { issuer: university, learner: sample.learner, grade, awardedOn: '2024-01-26' }) });
    });
    sample.spring.forEach((grade, i) => {
      const part = reiProgramme.parts[3 + i]!;
      credentials.push({ who, what: part.title, credential: award(part, { issuer: university, learner: sample.learner, grade, awardedOn: '2024-06-14' }) });
    });
    const completed = [...sample.autumn, ...sample.spring].every((g) => g !== 'F' && g !== 'fail');
    if (completed) {
      credentials.push({ who, what: reiProgramme.title, credential: award(reiProgramme, { issuer: university, learner: sample.learner, awardedOn: '2024-06-20' }) });
    }
  }

  let failures = 0;
  for (const { who, what, credential } of credentials) {
    const problems: string[] = [];
    try {
      await expand(credential);
    } catch (e) {
      problems.push(`safe mode: ${(e as Error).message}`);
    }
    const view = readMicroCredential(credential);
    if (view.missingMandatory.length) problems.push(`missing Annex I elements: ${view.missingMandatory.join(', ')}`);
    const grade = view.grade?.value ? ` grade ${view.grade.value}` : '';
    const credits = view.workload.ectsEarned !== undefined ? ` ${view.workload.ectsEarned}/${view.workload.ects} ECTS` : '';
    console.log(`${problems.length ? 'FAIL' : 'ok  '} ${who}: ${what}${grade}${credits}${problems.length ? `\n     ${problems.join('\n     ')}` : ''}`);
    if (problems.length) failures++;
  }

  const programme = credentials.find((c) => c.what === reiProgramme.title);
  if (programme) {
    console.log('\nThe programme credential of the first learner who completed it:\n');
    console.log(JSON.stringify(programme.credential, null, 2));
  }
  console.log(`\n${credentials.length} credentials, ${credentials.length - failures} valid, ${failures} invalid`);
  if (failures) process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
