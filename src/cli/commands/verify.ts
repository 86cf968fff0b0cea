import { didWebUrl, MicrocredError, type VerificationReport, verify as verifyCredential } from '../../index';
import { type Command, EXIT, UsageError } from '../command';
import { readJsonFile, readVerifiable, statusListsFrom } from '../files';
import { formatReport } from '../report';
import { isClrText, learnerOption, verifyStackFiles } from '../stack';

/** `microcred verify`: credentials one by one, or (with --stack, or a CLR transcript) as a stack. */
export const verify: Command = {
  summary: 'verify credentials (JSON, JWT, PNG or SVG files; "-" for standard input)',
  examples: ['microcred verify out/*.json --status-dir ~/ut-office/status', 'microcred verify badge.png --json', 'cat credential.jwt | microcred verify -', 'microcred verify --stack programme.json part-*.json --status-dir ~/ut-office/status', 'microcred verify transcript.json   # a CLR 2.0 transcript: every credential inside and the stack'],
  usage: 'microcred verify <file|-> [more files…] [--stack [--learner email|DID] [--challenge nonce --domain d]] [--status-dir dir] [--status-optional] [--max-status-list-age seconds] [--jwks jwks.json] [--did-document did.json] [--now ISO] [--json]',
  options: { 'status-dir': { type: 'string' }, 'status-optional': { type: 'boolean' }, 'max-status-list-age': { type: 'string' }, jwks: { type: 'string' }, now: { type: 'string' }, 'did-document': { type: 'string', multiple: true }, stack: { type: 'boolean' }, learner: { type: 'string' }, challenge: { type: 'string' }, domain: { type: 'string' } },
  async run({ values, positionals }, out) {
    if (positionals.length === 0) throw new UsageError('verify needs a file (or - for standard input)');
    // An unreadable --now would switch every date check off: refuse it.
    if (values.now !== undefined && Number.isNaN(Date.parse(values.now as string))) throw new UsageError(`--now must be a date-time such as 2026-11-29T12:00:00Z, got ${JSON.stringify(values.now)}`);
    const statusDir = values['status-dir'] as string | undefined;
    const maxListAge = values['max-status-list-age'] === undefined ? undefined : Number(values['max-status-list-age']);
    if (maxListAge !== undefined && !(Number.isFinite(maxListAge) && maxListAge >= 0)) throw new UsageError(`--max-status-list-age is a number of seconds, got ${JSON.stringify(values['max-status-list-age'])}`);
    // Local copies only: a status list is looked up by its last path segment, a DID document by its id.
    const didDocuments = ((values['did-document'] as string[] | undefined) ?? []).map((f) => readJsonFile<{ id?: string }>(f));
    const options = {
      ...(values.now ? { now: new Date(values.now as string) } : {}),
      // Without --status-dir a credential with a status entry is NOT VERIFIED (revocation unknown); this accepts that.
      ...(values['status-optional'] ? { statusCheck: 'optional' as const } : {}),
      ...(values.jwks ? { jwks: readJsonFile<{ keys: Record<string, unknown>[] }>(values.jwks as string) } : {}),
      ...(statusDir ? { fetchStatusList: statusListsFrom(statusDir) } : {}),
      // A status list published longer ago than this (or undated) does not count: a stale copy cannot un-revoke.
      ...(maxListAge !== undefined ? { maxStatusListAgeSeconds: maxListAge } : {}),
      ...(didDocuments.length ? { resolveDocument: async (url: string) => { const doc = didDocuments.find((d) => typeof d.id === 'string' && (d.id.startsWith('did:web:') ? didWebUrl(d.id) === url : d.id === url)); if (!doc) throw new MicrocredError('RESOLVER_ERROR', `no local DID document for ${url}`); return doc; } } : {}),
    };
    // A stack (programme and parts, a CLR, a presentation holding a stack): the stack report (src/cli/stack.ts).
    const learner = learnerOption(values.learner as string | undefined);
    if (values.stack) return verifyStackFiles(positionals, { ...options, ...(learner !== undefined ? { learner } : {}), ...(values.challenge ? { challenge: values.challenge as string } : {}), ...(values.domain ? { domain: values.domain as string } : {}) }, out);
    const reports: { file: string; report: VerificationReport }[] = [];
    for (const file of positionals) {
      const input = readVerifiable(file);
      // A CLR 2.0 transcript alone: every credential inside and the stack, not only the transcript's own proof.
      if (positionals.length === 1 && isClrText(input)) return verifyStackFiles(positionals, { ...options, ...(learner !== undefined ? { learner } : {}) }, out, [input]);
      reports.push({ file, report: await verifyCredential(input, options) });
    }
    const all = reports.every((r) => r.report.verified);
    if (out.json) out.data(reports.length === 1 ? reports[0]!.report : { verified: all, results: reports.map((r) => ({ file: r.file, verified: r.report.verified, failed: r.report.checks.filter((c) => c.status === 'fail') })) });
    else if (reports.length === 1) out.print(formatReport(reports[0]!.report));
    else {
      for (const r of reports) if (!r.report.verified) out.print(`✗ ${r.file}: ${r.report.checks.filter((c) => c.status === 'fail').map((c) => c.message).join('; ')}`);
      out.print(`${reports.filter((r) => r.report.verified).length} of ${reports.length} verified`);
    }
    // 2 when an input could not be read as a credential at all (not a verdict about a credential).
    return all ? EXIT.ok : reports.some((r) => r.report.checks.some((c) => c.check === 'parse' && c.status === 'fail')) ? EXIT.unusable : EXIT.failed;
  },
};
