/**
 * The main job, end to end against the built package: describe the seed programme, award it and its five courses
 * to the sample learners, sign every credential in all three formats (eddsa-rdfc-2022, eddsa-jcs-2022, VC-JWT),
 * verify each one, and print a short report. Run with `npm run main-job` after `npm run build`.
 */
import { award, defineIssuer, generateKey, issue, verify, type IssueFormat, type MicroCredentialCredential } from 'microcredentials';
import { reiProgramme, sampleLearners, university } from './rei-programme';

const FORMATS: IssueFormat[] = ['eddsa-rdfc-2022', 'eddsa-jcs-2022', 'vc-jwt'];

async function main(): Promise<void> {
  // The university signs with an Ed25519 key; its issuer id is the key's did:key (a did:web works the same way).
  const key = generateKey();
  const issuer = defineIssuer({ ...university, id: key.controller, country: 'EE', region: 'Tartu County', name: university.name! });
  const awards: { who: string; what: string; credential: MicroCredentialCredential }[] = [];
  for (const [n, sample] of sampleLearners.entries()) {
    const who = `learner ${n + 1}`;
    const grades = [...sample.autumn, ...sample.spring];
    grades.forEach((grade, i) => {
      const part = reiProgramme.parts[i]!;
      awards.push({ who, what: part.title, credential: award(part, { issuer, learner: sample.learner, grade, awardedOn: i < 3 ? '2024-01-26' : '2024-06-14' }) });
    });
    if (grades.every((g) => g !== 'F' && g !== 'fail')) {
      awards.push({ who, what: reiProgramme.title, credential: award(reiProgramme, { issuer, learner: sample.learner, awardedOn: '2024-06-20' }) });
    }
  }

  let checked = 0;
  let failed = 0;
  for (const { who, what, credential } of awards) {
    const verdicts: string[] = [];
    for (const format of FORMATS) {
      const signed = await issue(credential, { key, format });
      const report = await verify(signed as object | string);
      checked++;
      if (!report.verified) {
        failed++;
        verdicts.push(`${format} NOT VERIFIED: ${report.checks.filter((c) => c.status === 'fail').map((c) => c.message).join('; ')}`);
      } else verdicts.push(`${format} ✓`);
    }
    const s = credential.credentialSubject;
    const grade = s.result?.[0]?.value ? ` grade ${s.result[0].value}` : '';
    console.log(`${who}: ${what}${grade}, ${s.creditsEarned}/${s.achievement.creditsAvailable} ECTS — ${verdicts.join(', ')}`);
  }

  const first = awards.find((a) => a.what === reiProgramme.title)!;
  const signed = await issue(first.credential, { key });
  const report = await verify(signed);
  console.log(`\nVerification report of the first programme credential (eddsa-rdfc-2022):`);
  for (const c of report.checks) console.log(`  ${c.status.padEnd(4)} ${c.check}: ${c.message}`);
  const eu = report.euElements!;
  console.log(`\nEU elements: ${eu.elements.filter((e) => e.present).map((e) => e.n).join(', ')} of 16 present; EQF ${eu.level.eqf}, ${eu.workload.ects} ECTS, ${eu.participation.modes.map((m) => m.label).join('/')} participation`);
  console.log(`\n${awards.length} credentials × ${FORMATS.length} formats = ${checked} signed and verified, ${checked - failed} verified, ${failed} not verified`);
  if (failed) process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
