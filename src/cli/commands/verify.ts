import { learnerMatches, type VerificationReport, verify as verifyCredential } from '../../index';
import { type Command, count, EXIT, UsageError } from '../command';
import { readVerifiable } from '../files';
import { VERIFIER_OPTIONS, VERIFIER_USAGE, verifierOptions } from '../online';
import { plainHeadline } from '../plain-words';
import { checkWhere, formatReport, type LearnerAnswer, learnerLine, verdictMark } from '../report';
import { safeText } from '../sanitize';
import { isClrText, learnerOption, verifyStackFiles } from '../stack';

/** `microcred verify`: credentials one by one, or (with --stack, or a CLR transcript) as a stack. */
export const verify: Command = {
  summary: 'verify credentials (JSON, JWT, PNG or SVG files; "-" for standard input), online by default',
  examples: [
    'microcred verify candidate-badge.png',
    'microcred verify credential.json --learner mari@example.ee --trust estonian-universities.json',
    'microcred verify out/*.json --status-dir ~/ut-office/status',
    'microcred verify badge.png --offline --json',
    'cat credential.jwt | microcred verify -',
    'microcred verify --stack programme.json part-*.json --status-dir ~/ut-office/status',
    'microcred verify transcript.json   # a CLR 2.0 transcript: every credential inside and the stack',
  ],
  usage: `microcred verify <file|-> [more files…] [--learner email|id] [--details] [--stack [--challenge nonce --domain d]] ${VERIFIER_USAGE} [--json]`,
  options: {
    ...VERIFIER_OPTIONS,
    stack: { type: 'boolean' },
    learner: { type: 'string' },
    challenge: { type: 'string' },
    domain: { type: 'string' },
    details: { type: 'boolean' },
  },
  async run({ values, positionals }, out) {
    if (positionals.length === 0) throw new UsageError('verify needs a file (or - for standard input)');
    const learnerText = values.learner as string | undefined;
    if (learnerText !== undefined && learnerText.trim() === '')
      throw new UsageError("--learner needs the learner's e-mail address or id");
    const options = await verifierOptions(values);
    // A stack (programme and parts, a CLR, a presentation holding a stack): the stack report (src/cli/stack.ts).
    if (values.stack) {
      const learner = learnerOption(learnerText);
      return verifyStackFiles(
        positionals,
        {
          ...options,
          ...(learner !== undefined ? { learner } : {}),
          ...(values.challenge ? { challenge: values.challenge as string } : {}),
          ...(values.domain ? { domain: values.domain as string } : {}),
        },
        out,
      );
    }
    const results: { file: string; report: VerificationReport; learner?: LearnerAnswer }[] = [];
    for (const file of positionals) {
      const input = readVerifiable(file);
      // A CLR 2.0 transcript alone: every credential inside and the stack, not only the transcript's own proof.
      if (positionals.length === 1 && isClrText(input)) {
        const learner = learnerOption(learnerText);
        return verifyStackFiles(positionals, { ...options, ...(learner !== undefined ? { learner } : {}) }, out, [
          input,
        ]);
      }
      const report = await verifyCredential(input, options);
      results.push({
        file,
        report,
        ...(learnerText !== undefined
          ? { learner: { identifier: learnerText.trim(), match: learnerMatches(report, learnerText) } }
          : {}),
      });
    }
    const code = exitCode(results, values['status-optional'] === true);
    if (out.json) {
      const one = (r: (typeof results)[number]) => ({ ...r.report, ...(r.learner ? { learner: r.learner } : {}) });
      out.data(
        results.length === 1
          ? one(results[0]!)
          : {
              verified: results.every((r) => r.report.verified),
              totals: totals(results),
              results: results.map((r) => ({
                file: r.file,
                verified: r.report.verified,
                outcome: r.report.verdict.outcome,
                headline: r.report.verdict.headline,
                ...(r.learner ? { learner: r.learner } : {}),
                failed: r.report.checks.filter((c) => c.status === 'fail'),
              })),
            },
      );
    } else if (results.length === 1) {
      out.print(
        formatReport(results[0]!.report, {
          details: values.details === true,
          ...(results[0]!.learner ? { learner: results[0]!.learner } : {}),
        }),
      );
    } else {
      for (const r of results) {
        out.print(
          `${verdictMark(r.report.verdict.outcome)} ${safeText(r.file)}: ${safeText(plainHeadline(r.report))}${r.learner ? ` (${safeText(learnerLine(r.learner).replace(/^[✓✗] /, ''))})` : ''}`,
        );
        if (values.details)
          for (const c of r.report.checks.filter((c) => c.status === 'fail' || c.status === 'warn'))
            out.print(`    ${c.status === 'fail' ? '✗' : '!'} ${c.check}: ${safeText(c.message + checkWhere(c))}`);
      }
      const t = totals(results);
      out.print(
        `${count(results.length, 'file')}: ${Object.entries(t)
          .filter(([, n]) => n > 0)
          .map(([k, n]) => `${n} ${TOTAL_WORDS[k as keyof typeof t]}`)
          .join(', ')}`,
      );
    }
    return code;
  },
};

const TOTAL_WORDS = {
  authentic: 'authentic',
  unconfirmed: 'authentic, issuer not confirmed',
  notChecked: 'revocation not checked',
  notValid: 'not valid',
  unreadable: 'unreadable',
} as const;

function totals(results: readonly { report: VerificationReport }[]): Record<keyof typeof TOTAL_WORDS, number> {
  const t = { authentic: 0, unconfirmed: 0, notChecked: 0, notValid: 0, unreadable: 0 };
  for (const { report } of results) {
    const o = report.verdict.outcome;
    if (isUnreadable(report)) t.unreadable++;
    else if (o === 'authentic') t.authentic++;
    else if (o === 'authentic-unconfirmed') t.unconfirmed++;
    else if (o === 'status-not-checked') t.notChecked++;
    else t.notValid++;
  }
  return t;
}

/** Not a credential that can be read (not JSON, no credential's @context, over the bounds): the library's verdict. */
const isUnreadable = (report: VerificationReport) => report.verdict.headlineKey === 'verdict.unreadable';

/**
 * 2 when an input could not be read as a credential at all; 1 when one is not valid (or not issued to --learner, or
 * that cannot be told); 4 when the worst is a status that could not be checked (0 with --status-optional); else 0.
 */
function exitCode(
  results: readonly { report: VerificationReport; learner?: LearnerAnswer }[],
  statusOptional: boolean,
): number {
  if (results.some((r) => isUnreadable(r.report))) return EXIT.unusable;
  const notChecked = (r: { report: VerificationReport }) => r.report.verdict.outcome === 'status-not-checked';
  if (results.some((r) => (!r.report.verified && !notChecked(r)) || (r.learner && r.learner.match !== 'match')))
    return EXIT.failed;
  if (!statusOptional && results.some(notChecked)) return EXIT.notChecked;
  return EXIT.ok;
}
