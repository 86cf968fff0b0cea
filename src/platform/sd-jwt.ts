/**
 * @sd-jwt/core, loaded on first use: only SD-JWT VC issuing and presenting need it, and every other process (Data
 * Integrity, VC-JWT) would otherwise pay for loading it.
 */
let coreModule: Promise<typeof import('@sd-jwt/core')> | undefined;

export function loadSdJwtCore(): Promise<typeof import('@sd-jwt/core')> {
  return (coreModule ??= import('@sd-jwt/core'));
}
