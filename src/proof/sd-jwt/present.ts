import { MicrocredError } from '../../errors';
import type { JwtKey } from '../../keys/jwt-keys';
import { loadSdJwtCore } from '../../platform/sd-jwt';
import { splitSdJwt } from './disclosures';
import { jwsSigner, sdHasher } from './sign';

/** Options of `presentSdJwt`: what to disclose, and the holder key binding for the verifier's nonce and audience. */
export interface PresentSdJwtOptions {
  /**
   * The claims to disclose, as paths into the claim set: `'title'`, `'workload'`, `'learner.name'`,
   * `'learner.identifiers[0]'`. A nested path discloses its parents too. Everything else is withheld.
   */
  disclose: readonly string[];
  /** The holder's private key (the one in the credential's `cnf`): adds a Key Binding JWT. */
  holderKey?: JwtKey;
  /** The verifier's nonce (required with holderKey). */
  nonce?: string;
  /** The verifier's identifier (required with holderKey). */
  audience?: string;
  /** The KB-JWT's `iat`; default now. */
  issuedAt?: Date;
}

/** A presentation frame of @sd-jwt (`{ learner: { name: true } }`) from paths (`learner.name`). */
function presentationFrame(paths: readonly string[]): Record<string, unknown> {
  const frame: Record<string, unknown> = {};
  for (const path of paths) {
    if (typeof path !== 'string' || path === '')
      throw new MicrocredError('INVALID_INPUT', `Not a claim path: ${String(path)}`);
    const segments = path.replace(/\[(\d+)\]/g, '.$1').split('.');
    let at = frame;
    segments.forEach((segment, i) => {
      if (i === segments.length - 1) {
        if (at[segment] === undefined) at[segment] = true;
        return;
      }
      if (typeof at[segment] !== 'object' || at[segment] === null) at[segment] = {};
      at = at[segment] as Record<string, unknown>;
    });
  }
  return frame;
}

/**
 * A holder's presentation of an SD-JWT VC: only the disclosures of `disclose` (and their parents), plus a Key
 * Binding JWT over them for the verifier's `nonce` and `audience` when `holderKey` is given. Disclosures are
 * chosen by @sd-jwt/core (its present), the KB-JWT signed with the library's JWT key handling.
 */
export async function presentSdJwt(sdJwt: string, options: PresentSdJwtOptions): Promise<string> {
  if (typeof sdJwt !== 'string')
    throw new MicrocredError('INVALID_INPUT', 'presentSdJwt needs the SD-JWT VC (a string)');
  const parts = splitSdJwt(sdJwt);
  if (!Array.isArray(options?.disclose))
    throw new MicrocredError('INVALID_INPUT', 'presentSdJwt needs { disclose: [claim paths] }');
  const holderKey = options.holderKey;
  if (holderKey && (typeof options.nonce !== 'string' || typeof options.audience !== 'string'))
    throw new MicrocredError('INVALID_INPUT', "A key binding JWT needs the verifier's nonce and audience");
  const { SDJwtInstance } = await loadSdJwtCore();
  const instance = new SDJwtInstance({
    hasher: sdHasher,
    ...(holderKey ? { kbSigner: jwsSigner(holderKey), kbSignAlg: holderKey.alg } : {}),
  });
  const iat = Math.floor((options.issuedAt ?? new Date()).getTime() / 1000);
  try {
    return await instance.present(
      parts.withoutKb,
      presentationFrame(options.disclose) as never,
      holderKey ? { kb: { payload: { iat, aud: options.audience!, nonce: options.nonce! } } } : undefined,
    );
  } catch (e) {
    throw new MicrocredError('INVALID_INPUT', `Cannot make the presentation: ${(e as Error).message}`, { cause: e });
  }
}
