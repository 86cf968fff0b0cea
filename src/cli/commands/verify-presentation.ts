import fs from 'node:fs';
import {
  type PresentationReport,
  type VerificationReport,
  verifyPresentation as verifyPresented,
  type VerifyPresentationOptions,
} from '../../index';
import { type Command, EXIT } from '../command';
import { VERIFIER_OPTIONS, VERIFIER_USAGE, verifierOptions } from '../online';
import { formatPresentationReport } from '../report';

/**
 * `microcred verify-presentation <file|->`: the verifier's side of a presentation request, online by default as
 * `verify` is. Exit 0 verified, 1 not verified, 2 unusable usage, 4 otherwise fine but a credential's revocation
 * could not be checked.
 */
export const verifyPresentation: Command = {
  summary: 'verify a presentation (JSON or VP-JWT; "-" for standard input) made for your --challenge and --domain',
  usage: `microcred verify-presentation <file|-> --challenge <nonce you gave> [--domain <your domain>] [--max-age seconds] [--allow-unsigned] [--require-holder-subject] ${VERIFIER_USAGE} [--json]`,
  examples: [
    'microcred verify-presentation vp.json --challenge 3f1c9a7e --domain hr.example.com --status-dir ~/status',
    'cat vp.jwt | microcred verify-presentation - --challenge 3f1c9a7e --json',
    'microcred verify-presentation vp.json --challenge 3f1c9a7e --trust estonian-universities.json --max-status-list-age 172800',
  ],
  options: {
    challenge: { type: 'string' },
    domain: { type: 'string' },
    'max-age': { type: 'string' },
    'allow-unsigned': { type: 'boolean' },
    'require-holder-subject': { type: 'boolean' },
    ...VERIFIER_OPTIONS,
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
    const options: VerifyPresentationOptions = {
      ...(await verifierOptions(values)),
      challenge: values.challenge as string,
      ...(values.domain !== undefined ? { domain: values.domain as string } : {}),
      ...(maxAge !== undefined ? { maxAgeSeconds: maxAge } : {}),
      ...(values['allow-unsigned'] ? { allowUnsigned: true } : {}),
      ...(values['require-holder-subject'] ? { requireHolderIsSubject: true } : {}),
    };
    const report = await verifyPresented(text, options);
    if (out.json) out.data(report);
    else out.print(formatPresentationReport(report));
    return exitCode(report, values['status-optional'] === true);
  },
};

/**
 * 0 verified; 4 when the only thing wrong is a credential whose revocation could not be checked (0 with
 * --status-optional), as for `verify`; else 1.
 */
function exitCode(report: PresentationReport, statusOptional: boolean): number {
  if (report.verified) return EXIT.ok;
  // The credentials check fails for credentials that did not verify, and also when none was verified at all (too many
  // to check, a step that broke): only the first, with every unverified credential merely unchecked, is exit 4.
  const failed = report.checks.filter((c) => c.status === 'fail');
  const notChecked = (r: VerificationReport) => r.verdict.outcome === 'status-not-checked';
  const unverified = report.credentials.filter((r) => !r.verified);
  const onlyUnchecked =
    failed.length === 1 &&
    failed[0]!.check === 'credentials' &&
    failed[0]!.code === 'INVALID_CREDENTIAL' &&
    unverified.length > 0 &&
    unverified.every(notChecked);
  if (!onlyUnchecked) return EXIT.failed;
  return statusOptional ? EXIT.ok : EXIT.notChecked;
}

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
