/**
 * The main job, end to end against the built package: describe the seed programme, award its five courses to the
 * sample learners, award the programme by the library's awarding rule (only from the learner's verified, passed
 * parts), sign every credential in all three formats (eddsa-rdfc-2022, eddsa-jcs-2022, VC-JWT), verify each one,
 * verify each programme as a stack with its parts, make a CLR 2.0 transcript, and print a short report.
 * Run with `npm run main-job` after `npm run build`.
 */
import {
  award,
  awardProgramme,
  buildClr,
  defineIssuer,
  generateKey,
  isMicrocredError,
  issue,
  newLearnerSalt,
  verify,
  verifyClr,
  verifyStack,
  type IssueFormat,
  type LearnerInput,
  type MicroCredentialCredential,
} from 'microcredentials';
import { reiProgramme, sampleLearners, university } from './rei-programme';

const FORMATS: IssueFormat[] = ['eddsa-rdfc-2022', 'eddsa-jcs-2022', 'vc-jwt'];

async function main(): Promise<void> {
  // The university signs with an Ed25519 key; its issuer id is the key's did:key (a did:web works the same way).
  const key = generateKey();
  const issuer = defineIssuer({ ...university, id: key.controller, country: 'EE', region: 'Tartu County', name: university.name! });
  const awards: { who: string; what: string; credential: MicroCredentialCredential }[] = [];
  const stacks: { who: string; learner: LearnerInput; programme?: object; parts: object[]; refusal?: string }[] = [];
  for (const [n, sample] of sampleLearners.entries()) {
    const who = `learner ${n + 1}`;
    // One salt per learner (the register keeps it): the learner's hashed identifiers are then equal across their
    // credentials, so a verifier can tell the parts and the programme belong to one person (docs/stacks.md).
    const learner: LearnerInput = typeof sample.learner === 'string' ? sample.learner : { ...sample.learner, salt: newLearnerSalt() };
    const grades = [...sample.autumn, ...sample.spring];
    const parts: object[] = [];
    for (const [i, grade] of grades.entries()) {
      const part = reiProgramme.parts[i]!;
      const credential = award(part, { issuer, learner, grade, awardedOn: i < 3 ? '2024-01-26' : '2024-06-14' });
      awards.push({ who, what: part.title, credential });
      parts.push(await issue(credential, { key }));
    }
    // The awarding rule: the programme only from this learner's verified, passed parts; otherwise a refusal with reasons.
    try {
      const programme = await awardProgramme(reiProgramme, { issuer, learner, parts, awardedOn: '2024-06-20' });
      awards.push({ who, what: reiProgramme.title, credential: programme });
      stacks.push({ who, learner, parts, programme: await issue(programme, { key }) });
    } catch (e) {
      if (!isMicrocredError(e) || e.code !== 'PROGRAMME_NOT_EARNED') throw e;
      stacks.push({ who, learner, parts, refusal: e.problems.map((p) => p.message).join('; ') });
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

  const firstProgramme = awards.find((a) => a.what === reiProgramme.title)!;
  const signed = await issue(firstProgramme.credential, { key });
  const report = await verify(signed);
  console.log(`\nVerification report of the first programme credential (eddsa-rdfc-2022):`);
  for (const c of report.checks) console.log(`  ${c.status.padEnd(4)} ${c.check}: ${c.message}`);
  const eu = report.euElements!;
  console.log(`\nEU elements: ${eu.elements.filter((e) => e.present).map((e) => e.n).join(', ')} of 16 present; EQF ${eu.level.eqf}, ${eu.workload.ects} ECTS, ${eu.participation.modes.map((m) => m.label).join('/')} participation`);

  // The stacks: each programme verified with its five parts; refusals say why.
  console.log(`\nStacks (programme + parts):`);
  let stackFailures = 0;
  for (const s of stacks) {
    if (!s.programme) {
      console.log(`  ${s.who}: programme refused — ${s.refusal}`);
      continue;
    }
    const r = await verifyStack({ programme: s.programme, parts: s.parts });
    if (!r.verified) stackFailures++;
    const failed = r.checks.filter((c) => c.status === 'fail').map((c) => c.message);
    console.log(`  ${s.who}: ${r.verified ? 'stack verified' : `STACK NOT VERIFIED: ${failed.join('; ')}`} (${r.checks.filter((c) => c.status === 'pass').map((c) => c.check).join(', ')})`);
  }
  const first = stacks.find((s) => s.programme)!;
  const clr = await issue(buildClr({ issuer, learner: first.learner, credentials: [first.programme!, ...first.parts] }), { key });
  const clrReport = await verifyClr(clr);
  if (!clrReport.verified) stackFailures++;
  console.log(`  ${first.who}: CLR 2.0 transcript with ${clrReport.credentials.length} credentials — ${clrReport.verified ? 'verified (the CLR, each credential inside it, and the stack)' : 'NOT VERIFIED'}`);
  console.log(`\n${awards.length} credentials × ${FORMATS.length} formats = ${checked} signed and verified, ${checked - failed} verified, ${failed} not verified`);
  if (failed || stackFailures) process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
