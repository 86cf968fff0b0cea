import { describe, expect, it } from 'vitest';
import { award, readMicroCredential, type MicroCredentialCredential } from '../src';
import { ethicsInOrganization, reiProgramme, sampleLearners, university } from '../examples/rei-programme';

/**
 * What a wallet that knows only Open Badges 3.0 shows (DCC Learner Credential Wallet, 1EdTech's viewer, SURF's
 * backpack): native fields only. Our extension terms are invisible there, so every Annex I element must also be in
 * these fields, in words.
 */
function nativeWalletView(c: MicroCredentialCredential): string {
  const s = c.credentialSubject;
  const a = s.achievement;
  const issuer = c.issuer;
  const lines = [
    `# ${c.name ?? a.name}`,
    `Achievement: ${a.name} (${a.achievementType ?? 'Achievement'})`,
    `Issued by ${issuer.name}${issuer.address ? `, ${[issuer.address.addressLocality, issuer.address.addressRegion, issuer.address.addressCountry, issuer.address.addressCountryCode].filter(Boolean).join(', ')}` : ''}`,
    `Awarded ${c.awardedDate ?? c.validFrom}`,
    `Holder: ${s.id ?? (s.identifier ?? []).map((i) => i.identityType).join(', ')}`,
    a.description ?? '',
    a.criteria?.narrative ?? '',
    a.creditsAvailable !== undefined ? `Credits: ${a.creditsAvailable}` : '',
    s.creditsEarned !== undefined ? `Credits earned: ${s.creditsEarned}` : '',
    ...(a.alignment ?? []).map((al) => `Alignment: ${al.targetName} ${al.targetCode ?? ''} ${al.targetUrl}`),
    ...(s.result ?? []).map((r) => {
      const rd = a.resultDescription?.find((d) => d.id === r.resultDescription);
      return `Result: ${rd?.name ?? ''} ${r.value ?? ''} ${r.status ?? ''}`;
    }),
    a.fieldOfStudy ? `Field of study: ${a.fieldOfStudy}` : '',
    a.inLanguage ? `Language: ${a.inLanguage}` : '',
  ];
  // The wallet renders the Markdown: emphasis marks and escapes are not part of what the reader sees.
  return lines
    .filter(Boolean)
    .join('\n')
    .replace(/\*\*/g, '')
    .replace(/\\([\\`*_[\]<>])/g, '$1');
}

/** For each Annex I element, what the wallet text must contain, taken from the typed view of the extension terms. */
function expectations(c: MicroCredentialCredential): Record<string, string[]> {
  const v = readMicroCredential(c);
  const text = (x: string | undefined) => (x === undefined ? [] : [x]);
  return {
    learner: text(v.learner.id ?? v.learner.identifiers[0]?.identityType),
    title: text(v.title),
    country: v.issuerCountries.map((x) => x.country?.label ?? x.code ?? ''),
    awardingBody: v.awardingBodies.map((b) => b.name ?? ''),
    dateOfIssuing: text(v.dateOfIssuing),
    learningOutcomes: v.learningOutcomes.map((o) => o.text),
    workload: [`${v.workload.ects} ECTS`, `${v.workload.hours} hours`],
    level: [`EQF level ${v.level.eqf}`, ...(v.level.qfEheaCycle ? [v.level.qfEheaCycle.label!.toLowerCase()] : [])],
    assessment: v.assessment.map((x) => x.type!.label!.toLowerCase()),
    participation: [
      ...v.participation.modes.map((m) => m.label!),
      ...v.participation.activityTypes.map((t) => t.label!.toLowerCase()),
    ],
    qualityAssurance: v.qualityAssurance.flatMap((q) => [
      q.type!.label!,
      q.name!,
      ...(q.accreditingAgent ? [q.accreditingAgent] : []),
    ]),
    prerequisites: [...text(v.prerequisites), ...v.targetGroups.map((g) => g.label!)],
    supervision: text(v.supervision?.label),
    grade: v.grade ? [`${v.grade.value} ${v.grade.status}`] : [],
    stackability: text(v.stackability.option?.label),
    furtherInformation: v.furtherInformation,
  };
}

const credentials: [string, MicroCredentialCredential][] = [
  ...reiProgramme.parts.map(
    (part, i) =>
      [
        part.title,
        award(part, {
          issuer: university,
          learner: sampleLearners[0].learner,
          grade: i < 3 ? 'B' : 'pass',
          awardedOn: '2024-06-20',
        }),
      ] as [string, MicroCredentialCredential],
  ),
  [
    'the programme',
    award(reiProgramme, { issuer: university, learner: sampleLearners[1].learner, awardedOn: '2024-06-20' }),
  ],
];

describe('a wallet that knows only OB 3.0 fields shows every Annex I element of the seed credentials', () => {
  for (const [name, credential] of credentials) {
    it(name, () => {
      const shown = nativeWalletView(credential).toLowerCase();
      const view = readMicroCredential(credential);
      const wanted = expectations(credential);
      for (const element of view.elements) {
        if (!element.present) continue;
        const needles = wanted[element.key]!;
        expect(needles.length, `element ${element.n} ${element.key} has something to look for`).toBeGreaterThan(0);
        for (const needle of needles)
          expect(shown, `element ${element.n} (${element.label}): "${needle}"`).toContain(needle.toLowerCase());
      }
    });
  }

  it('the seed credentials state all 16 elements (grade only where there is one), and the fee', () => {
    for (const [name, credential] of credentials) {
      const missing = readMicroCredential(credential)
        .elements.filter((e) => !e.present)
        .map((e) => e.key);
      expect(missing, name).toEqual(name === 'the programme' ? ['grade'] : []);
      expect(credential.credentialSubject.achievement.criteria.narrative, name).toMatch(/\*\*Fee:\*\* /);
    }
  });

  it('the wallet text is generated from the data: change a value, the words follow', () => {
    const c = award(reiProgramme.part(ethicsInOrganization.id), {
      issuer: university,
      learner: 'did:example:x',
      grade: 'pass',
    });
    expect(c.credentialSubject.achievement.criteria.narrative).toContain('6 ECTS credits (about 156 hours of study)');
    expect(c.credentialSubject.achievement.description).toContain('6 ECTS credits');
    expect(c.credentialSubject.achievement.criteria.narrative).toContain(
      'part of Academic and Research Integrity: from theory to practice',
    );
  });
});
