import fs from 'node:fs';
import { verifyPresentation as verifyPresented, type VerifyPresentationOptions } from '../../index';
import type { Command } from '../command';
import { readJsonFile, statusListsFrom } from '../files';
import { formatPresentationReport } from '../report';

/**
 * `microcred verify-presentation <file|->`: the verifier's side of a presentation request. Exit 0 verified, 1 not
 * verified, 2 unusable usage.
 */
export const verifyPresentation: Command = {
  summary: 'verify a presentation (JSON or VP-JWT; "-" for standard input) made for your --challenge and --domain',
  usage:
    'microcred verify-presentation <file|-> --challenge <nonce you gave> [--domain <your domain>] [--max-age seconds] [--allow-unsigned] [--require-holder-subject] [--status-dir dir] [--jwks jwks.json] [--now ISO] [--json]',
  examples: [
    'microcred verify-presentation vp.json --challenge 3f1c9a7e --domain hr.example.com --status-dir ~/status',
    'cat vp.jwt | microcred verify-presentation - --challenge 3f1c9a7e --json',
  ],
  options: {
    challenge: { type: 'string' },
    domain: { type: 'string' },
    'max-age': { type: 'string' },
    'allow-unsigned': { type: 'boolean' },
    'require-holder-subject': { type: 'boolean' },
    'status-dir': { type: 'string' },
    jwks: { type: 'string' },
    now: { type: 'string' },
  },
  async run({ values, positionals }, out) {
    const file = positionals[0];
    if (!file || positionals.length > 1) {
      out.error(`verify-presentation needs one file (or - for standard input)\nusage: ${verifyPresentation.usage}`);
      return 2;
    }
    const maxAge = values['max-age'] === undefined ? undefined : Number(values['max-age']);
    if (maxAge !== undefined && !(Number.isFinite(maxAge) && maxAge > 0)) {
      out.error('--max-age is a number of seconds');
      return 2;
    }
    const now = values.now === undefined ? undefined : new Date(values.now as string);
    if (now !== undefined && Number.isNaN(now.getTime())) {
      out.error('--now is an ISO date-time');
      return 2;
    }
    const text = (file === '-' ? fs.readFileSync(0) : fs.readFileSync(file)).toString('utf8');
    // Without the challenge this verifier gave, a presentation made for someone else (or replayed) would verify:
    // refused as a verdict (exit 1), not verified with a warning that nobody reads.
    if (values.challenge === undefined || values.challenge === '') {
      out.error(
        'NOT VERIFIED: give --challenge, the nonce you asked the holder to sign; without it a presentation made for someone else, or replayed, cannot be told from one made for you',
      );
      return 1;
    }
    const domain = boundDomain(text);
    if (domain !== undefined && values.domain === undefined) {
      out.error(
        `NOT VERIFIED: the presentation is bound to the domain ${JSON.stringify(domain)}; give --domain with your own domain so that it is checked`,
      );
      return 1;
    }
    const statusDir = values['status-dir'] as string | undefined;
    const options: VerifyPresentationOptions = {
      ...(values.challenge !== undefined ? { challenge: values.challenge as string } : {}),
      ...(values.domain !== undefined ? { domain: values.domain as string } : {}),
      ...(maxAge !== undefined ? { maxAgeSeconds: maxAge } : {}),
      ...(values['allow-unsigned'] ? { allowUnsigned: true } : {}),
      ...(values['require-holder-subject'] ? { requireHolderIsSubject: true } : {}),
      ...(now ? { now } : {}),
      ...(values.jwks ? { jwks: readJsonFile<{ keys: Record<string, unknown>[] }>(values.jwks as string) } : {}),
      ...(statusDir ? { fetchStatusList: statusListsFrom(statusDir) } : {}),
    };
    const report = await verifyPresented(text, options);
    if (out.json) out.data(report);
    else out.print(formatPresentationReport(report));
    return report.verified ? 0 : 1;
  },
};

/**
 * The domain a presentation names for its verifier, read without verifying anything: a Data Integrity proof's
 * `domain`, or a VP-JWT's `aud`. Undefined when it names none or cannot be read (verification then says why).
 */
function boundDomain(text: string): string | undefined {
  const trimmed = text.trim();
  let named: unknown;
  try {
    if (trimmed.startsWith('{')) {
      const proof = (JSON.parse(trimmed) as { proof?: unknown }).proof;
      named = (Array.isArray(proof) ? proof : [proof])
        .map((p) => (typeof p === 'object' && p !== null ? (p as { domain?: unknown }).domain : undefined))
        .find((d) => d !== undefined);
    } else {
      named = (JSON.parse(Buffer.from(trimmed.split('.')[1] ?? '', 'base64url').toString('utf8')) as { aud?: unknown })
        .aud;
    }
  } catch {
    return undefined;
  }
  if (typeof named === 'string') return named;
  if (Array.isArray(named) && named.length > 0) return named.map(String).join(', ');
  return undefined;
}
