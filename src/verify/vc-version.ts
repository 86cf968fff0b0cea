import { VC_CONTEXT_V1 as VC_V1, VC_CONTEXT_V2 as VC_V2 } from '../shared/contexts';

/** Which VC data model the credential follows, from its first context (OB 3.0 implementation guide's rule). */
export function vcVersion(credential: Record<string, unknown>): '1.1' | '2.0' | undefined {
  const ctx = credential['@context'];
  const first = Array.isArray(ctx) ? ctx[0] : ctx;
  return first === VC_V2 ? '2.0' : first === VC_V1 ? '1.1' : undefined;
}
