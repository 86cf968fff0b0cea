// PENDING the verdict contract on main: stand-ins with the contract's names so the page can be built; replaced by a
// plain import from 'microcredentials' at the merge. Nothing here may survive it.
import type { VerificationReport as Report, VerifyOptions } from 'microcredentials';
export * from 'microcredentials';

export type VerdictOutcome = 'authentic' | 'authentic-unconfirmed' | 'tampered' | 'revoked' | 'suspended' | 'expired' | 'not-yet-valid' | 'status-not-checked' | 'invalid';
export interface VerdictReason { code: string; key: string; params: Record<string, string>; text: string }
export interface VerdictIssuer { id?: string; name?: string; confirmed: boolean; confirmedBy?: string }
export interface VerdictElement { key: string; label: string; value: string }
export interface Verdict {
  outcome: VerdictOutcome; headline: string; headlineKey: string; headlineParams: Record<string, string>; issuer: VerdictIssuer;
  title?: string; grade?: string; revokedAt?: string; reasons: VerdictReason[]; elements: VerdictElement[];
}
export interface TrustSource { name: string; issuers: string[] }
export function parseTrustSource(json: unknown, options?: { name?: string }): TrustSource {
  return { name: options?.name ?? 'list', issuers: Array.isArray(json) ? (json as string[]) : [] };
}
export function learnerMatches(_report: Report, _identifier: string): 'match' | 'no-match' | 'cannot-tell' {
  return 'cannot-tell';
}
export function createFetchers(options: { fetch: typeof globalThis.fetch; allowPrivateNetwork?: boolean; onRequest?: (url: string) => void }): Pick<VerifyOptions, 'resolveDocument' | 'fetchStatusList' | 'fetchResource'> {
  const get = async (url: string) => { options.onRequest?.(url); return new Uint8Array(await (await options.fetch(url)).arrayBuffer()); };
  return { fetchResource: get, fetchStatusList: async (url) => JSON.parse(new TextDecoder().decode(await get(url))), resolveDocument: async (url) => JSON.parse(new TextDecoder().decode(await get(url))) };
}
export function pendingVerdict(report: Report): Verdict {
  const outcome: VerdictOutcome = report.verified ? 'authentic-unconfirmed' : 'invalid';
  return { outcome, headline: outcome, headlineKey: `verdict.${outcome}`, headlineParams: { issuer: '?' }, issuer: { confirmed: false }, reasons: report.checks.filter((c) => c.status !== 'pass').map((c) => ({ code: c.code ?? '', key: `reason.${c.code}`, params: {}, text: c.message })), elements: [] };
}
