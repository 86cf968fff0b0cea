import { first, list, obj, type Json } from './json';

/**
 * True for a credential in ELM's shape: an EuropeanDigitalCredential, or a subject with `hasClaim`. On its own, so
 * that a verifier tells an ELM credential from an Open Badge without loading the ELM reader (./elm-reader.ts).
 */
export function isElmCredential(vc: Json): boolean {
  const subject = obj(first(vc.credentialSubject));
  return list(vc.type).includes('EuropeanDigitalCredential') || subject?.hasClaim !== undefined;
}
