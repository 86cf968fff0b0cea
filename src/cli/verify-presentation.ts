import fs from 'node:fs';
import path from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import { verifyPresentation, type PresentationReport, type VerifyPresentationOptions } from '../presentation/verify';
import { formatReport } from './report';

const MARK = { pass: '✓', fail: '✗', warn: '!', skip: '–' } as const;

/** A presentation report in plain words: the verdict, the holder, the presentation's checks, then each credential. */
export function formatPresentationReport(report: PresentationReport): string {
  const lines = [report.verified ? 'PRESENTATION VERIFIED' : 'PRESENTATION NOT VERIFIED'];
  if (report.holder) lines.push(`  Presented by: ${report.holder}`);
  lines.push('', '  Checks:');
  for (const c of report.checks) lines.push(`  ${MARK[c.status]} ${c.check.padEnd(14)} ${c.message}`);
  report.credentials.forEach((r, i) => {
    lines.push('', `Credential ${i + 1} of ${report.credentials.length}:`);
    lines.push(...formatReport(r).split('\n').map((l) => `  ${l}`));
  });
  return lines.join('\n');
}

/**
 * `microcred verify-presentation <file|->`: the verifier's side of a presentation request. Exit 0 verified, 1 not
 * verified, 2 unusable usage. Shaped like main.ts's commands (summary, usage, options, run) so main lists it.
 */
export const verifyPresentationCommand = {
  summary: 'verify a presentation (JSON or VP-JWT; "-" for standard input) made for your --challenge and --domain',
  usage: 'microcred verify-presentation <file|-> --challenge <nonce you gave> [--domain <your domain>] [--max-age seconds] [--allow-unsigned] [--require-holder-subject] [--status-dir dir] [--jwks jwks.json] [--now ISO] [--json]',
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
  } satisfies NonNullable<ParseArgsConfig['options']>,
  async run({ values, positionals }: { values: Record<string, unknown>; positionals: string[] }, out: { json: boolean; print(text: string): void; data(value: unknown): void; error(text: string): void }): Promise<number> {
    const file = positionals[0];
    if (!file || positionals.length > 1) {
      out.error(`verify-presentation needs one file (or - for standard input)\nusage: ${verifyPresentationCommand.usage}`);
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
    const statusDir = values['status-dir'] as string | undefined;
    const options: VerifyPresentationOptions = {
      ...(values.challenge !== undefined ? { challenge: values.challenge as string } : {}),
      ...(values.domain !== undefined ? { domain: values.domain as string } : {}),
      ...(maxAge !== undefined ? { maxAgeSeconds: maxAge } : {}),
      ...(values['allow-unsigned'] ? { allowUnsigned: true } : {}),
      ...(values['require-holder-subject'] ? { requireHolderIsSubject: true } : {}),
      ...(now ? { now } : {}),
      ...(values.jwks ? { jwks: JSON.parse(fs.readFileSync(values.jwks as string, 'utf8')) as { keys: Record<string, unknown>[] } } : {}),
      ...(statusDir ? { fetchStatusList: async (url: string) => JSON.parse(fs.readFileSync(path.join(statusDir, `${url.split('/').pop()}.json`), 'utf8')) as unknown } : {}),
    };
    const text = (file === '-' ? fs.readFileSync(0) : fs.readFileSync(file)).toString('utf8');
    const report = await verifyPresentation(text, options);
    if (out.json) out.data(report);
    else out.print(formatPresentationReport(report));
    return report.verified ? 0 : 1;
  },
};
