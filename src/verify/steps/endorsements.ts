import type { VerifyContext } from './context';
import { onDemand } from '../../shared/on-demand';

const loadEndorsementChecks = onDemand(() => import('./endorsement-checks'));

/** Endorsements step: embedded EndorsementCredentials (on the credential, the achievement and the issuer) and endorsementJwt strings. */
export async function endorsementsStep(ctx: VerifyContext): Promise<void> {
  const credential = ctx.credential;
  const subject = credential.credentialSubject as Record<string, unknown> | undefined;
  const achievement = subject?.achievement as Record<string, unknown> | undefined;
  const issuer = typeof credential.issuer === 'object' ? (credential.issuer as Record<string, unknown>) : undefined;
  const holders = [credential, achievement, issuer].filter(
    (h): h is Record<string, unknown> => typeof h === 'object' && h !== null,
  );
  const embedded: unknown[] = [];
  for (const holder of holders) {
    for (const key of ['endorsement', 'endorsementJwt']) {
      const value = holder[key];
      if (Array.isArray(value)) for (const item of value) embedded.push(item);
      else if (value !== undefined) embedded.push(value);
    }
  }
  if (embedded.length === 0) return;
  // The checks and nested verifications load on demand: few credentials carry endorsements.
  return (await loadEndorsementChecks()).verifyEndorsements(ctx, embedded);
}
