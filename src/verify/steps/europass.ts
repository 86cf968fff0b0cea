import { readEuElements } from './eu-elements';
import type { VerifyContext } from './context';

/** True for an ELM v3 European Digital Credential (Europass). */
function isEuropeanDigitalCredential(credential: Record<string, unknown>): boolean {
  const type = credential.type;
  return (Array.isArray(type) ? type : [type]).includes('EuropeanDigitalCredential');
}

/**
 * Europass step: a European Digital Credential is sealed with an eIDAS electronic seal (JAdES) over its bytes, not
 * with a Data Integrity proof. The library does not check eIDAS seals, so that check fails (closed) and says so in
 * plain words; the Annex I elements are read from the ELM document as for an Open Badge.
 */
export function europassStep(ctx: VerifyContext): Promise<void> | void {
  if (!isEuropeanDigitalCredential(ctx.credential)) return;
  ctx.report.fail(
    'seal',
    'UNSUPPORTED_PROOF',
    'European Digital Credential (Europass): its eIDAS electronic seal (JAdES) is not checked by this library, so who issued it and whether it was changed are not confirmed. Check the seal with the Europass viewer or an eIDAS signature validation service.',
  );
  if (!ctx.euElements) return readEuElements(ctx);
}
