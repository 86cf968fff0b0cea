/** An unsigned Open Badges credential as a client posts it to the service's issue endpoint (the issuer is the service's). */
export function serviceCredential(id: string, learner: string, achievementId: string): Record<string, unknown> {
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
    id,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: 'Critical thinking',
    validFrom: '2026-01-01T00:00:00Z',
    credentialSubject: {
      id: learner,
      type: ['AchievementSubject'],
      achievement: {
        id: achievementId,
        type: ['Achievement'],
        name: 'Critical thinking',
        description: 'Argues clearly',
        criteria: { narrative: 'Passed the exam' },
      },
    },
  };
}
