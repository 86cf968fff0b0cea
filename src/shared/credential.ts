/** Facts about a credential that several modules read the same way (issuing, verifying, stacks, JWTs). */

/**
 * The issuer's id: `issuer` itself when it is a URL string, else the `id` of the issuer object; undefined when there is
 * no string id (absent, malformed). Comparing issuers (key binding, status list signer, stack parts) goes through this.
 */
export function issuerIdOf(credential: Record<string, unknown> | undefined): string | undefined {
  const issuer = credential?.issuer;
  const id =
    typeof issuer === 'string'
      ? issuer
      : typeof issuer === 'object' && issuer !== null
        ? (issuer as { id?: unknown }).id
        : undefined;
  return typeof id === 'string' ? id : undefined;
}

/** The Data Integrity cryptosuites the library signs and verifies with (both Ed25519). */
export const CRYPTOSUITES = ['eddsa-rdfc-2022', 'eddsa-jcs-2022'] as const;

/** What `issue()` can produce: an embedded proof of one of the cryptosuites, or a VC-JWT (`vc+jwt`: VC-JOSE-COSE). */
export const CREDENTIAL_FORMATS = [...CRYPTOSUITES, 'vc-jwt', 'vc+jwt', 'dc+sd-jwt'] as const;

/** What `signPresentation()` can produce: an embedded proof, or a VP-JWT (`vp+jwt`: VC-JOSE-COSE). */
export const PRESENTATION_FORMATS = [...CRYPTOSUITES, 'vp-jwt', 'vp+jwt'] as const;

/** Whether `value` is one of `list` (a type guard, unlike `Array.prototype.includes` on a readonly tuple). */
export function isOneOf<T extends string>(list: readonly T[], value: unknown): value is T {
  return (list as readonly unknown[]).includes(value);
}
