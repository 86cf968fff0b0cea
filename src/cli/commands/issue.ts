import fs from 'node:fs';
import path from 'node:path';
import type { JWK } from 'jose';
import { definitionFromData, type IssueFormat, isMicrocredError } from '../../index';
import {
  isRosterProblem,
  issuerForDefinition,
  issueRoster,
  issueRow,
  learnerRow,
  openWorkspace,
} from '../../node/index';
import { type Command, CREDENTIAL_FORMATS, count, EXIT, nextCommand, UsageError, workspaceDir } from '../command';
import { readDataFile } from '../data-file';

/** `microcred issue`: one learner (--learner) or a roster (--roster) from a definition file. */
export const issue: Command = {
  summary: 'issue a micro-credential to one learner or a roster',
  examples: [
    'microcred issue -w ~/ut-office --definition examples/rei-programme.yaml --roster autumn.csv --out out/',
    'microcred issue -w ~/ut-office -d programme.yaml --roster excel-export.csv --encoding cp1252',
    'microcred issue -w ~/ut-office -d programme.yaml --learner mari@example.ee --grade A --part "Critical thinking and argumentation"',
    'microcred issue -w ~/ut-office -d course.yaml --learner mari@example.ee --format dc+sd-jwt --holder-key mari-wallet.jwk',
  ],
  usage:
    'microcred issue -w <workspace> --definition <file.json|yaml> (--learner <did|email> [--grade G] [--part id] | --roster learners.csv) [--encoding cp1252] [--format eddsa-rdfc-2022|eddsa-jcs-2022|vc-jwt|dc+sd-jwt [--holder-key wallet.jwk]] [--out dir] [--badge image.png|svg] [--record-fails]',
  options: {
    definition: { type: 'string', short: 'd' },
    learner: { type: 'string' },
    grade: { type: 'string' },
    part: { type: 'string' },
    roster: { type: 'string' },
    format: { type: 'string' },
    'holder-key': { type: 'string' },
    out: { type: 'string', short: 'o' },
    badge: { type: 'string' },
    encoding: { type: 'string' },
    'record-fails': { type: 'boolean' },
  },
  async run({ values }, out) {
    if (!values.definition) throw new UsageError('issue needs --definition');
    if (!values.learner === !values.roster) throw new UsageError('issue needs exactly one of --learner or --roster');
    const format = ((values.format as string | undefined) ?? 'eddsa-rdfc-2022') as IssueFormat;
    if (!(CREDENTIAL_FORMATS as readonly string[]).includes(format)) throw new UsageError(`unknown --format ${format}`);
    const holderKey = values['holder-key'] ? walletKey(values['holder-key'] as string, format, values) : undefined;
    const workspace = await openWorkspace(workspaceDir(values));
    try {
      const data = readDataFile(values.definition as string) as { issuer?: unknown };
      // The workspace's issuer signs; the definition's address, web address and identifiers complete it, and a
      // difference between the two is said, never dropped in silence.
      const { issuer, conflicts, otherIssuer } = issuerForDefinition(workspace.config.issuer, data.issuer);
      if (otherIssuer) out.error(`Note: ${otherIssuer}`);
      for (const c of conflicts) out.error(`Note: issuer ${c}`);
      const { definition, issuer: profile } = definitionFromData({ ...(data as object), issuer });
      const outDir = (values.out as string | undefined) ?? path.join(workspace.dir, 'credentials');
      fs.mkdirSync(outDir, { recursive: true, mode: 0o700 });
      const badge = values.badge
        ? {
            bytes: new Uint8Array(fs.readFileSync(values.badge as string)),
            ext: (values.badge as string).toLowerCase().endsWith('.svg') ? ('svg' as const) : ('png' as const),
          }
        : undefined;
      const options = {
        format,
        outDir,
        issuer: profile,
        ...(badge ? { badgeImage: badge } : {}),
        ...(values.encoding ? { roster: { encoding: values.encoding as string } } : {}),
        ...(values['record-fails'] ? { recordFails: true } : {}),
        ...(holderKey ? { holderKey } : {}),
      };
      if (values.learner) {
        const row = learnerRow(values.learner as string, {
          ...(values.grade ? { grade: values.grade as string } : {}),
          ...(values.part ? { part: values.part as string } : {}),
        });
        if (isRosterProblem(row)) throw new UsageError(row.message);
        let r;
        try {
          r = await issueRow(workspace, definition, row, options);
        } catch (e) {
          // The awarding rule refused the programme, or the grade is not a pass: a verdict about the learner (exit 1).
          if (!isMicrocredError(e) || (e.code !== 'PROGRAMME_NOT_EARNED' && e.code !== 'NOT_PASSED')) throw e;
          if (out.json)
            out.data({ error: { code: e.code, message: e.message, reasons: e.problems.map((p) => p.message) } });
          else
            out.error(
              e.code === 'NOT_PASSED' ? e.message.replace(/^not awarded/, 'Not awarded') : `Not issued: ${e.message}`,
            );
          return EXIT.failed;
        }
        if (out.json) out.data(r);
        else if (r.status?.revoked)
          out.error(
            `Not issued: this learner's credential ${r.credentialId} was revoked, and a revocation is final (the register keeps one credential per learner and achievement)`,
          );
        else if (r.status?.suspended)
          out.error(
            `Not issued: this learner's credential ${r.credentialId} is suspended: lift the suspension with ${nextCommand(`reinstate ${r.credentialId}`, values.workspace as string | undefined)} rather than issuing again`,
          );
        else
          out.print(
            r.skipped ? `Already issued as ${r.credentialId} (see the register); nothing to do` : `Issued ${r.file}`,
          );
        // The learner asked for holds no valid credential: the request was not done (exit 1, as a refused grade).
        return r.status?.revoked || r.status?.suspended ? EXIT.failed : 0;
      }
      const tty = process.stderr.isTTY && !out.json;
      const summary = await issueRoster(workspace, definition, values.roster as string, {
        ...options,
        ...(tty
          ? {
              onProgress: (p: { issued: number; skipped: number; failed: number }) =>
                process.stderr.write(`\r${progressLine(p)}`),
            }
          : {}),
      });
      if (tty) process.stderr.write('\n');
      if (out.json) out.data(summary);
      else {
        const notAwarded = summary.notAwarded.length
          ? `, not awarded (failing grade) ${summary.notAwarded.length}`
          : '';
        out.print(
          `Issued ${summary.issued}, already issued ${summary.skipped}${notAwarded}, problems ${summary.problems.length}; files in ${outDir}`,
        );
        for (const p of [...summary.notAwarded, ...summary.inactive].sort((a, b) => a.line - b.line))
          out.print(`  line ${p.line}: ${p.message}`);
        for (const p of summary.problems) out.error(`  line ${p.line}: ${p.message}`);
      }
      // A roster that could not be read as a whole (encoding, header, CSV structure) is unusable input.
      return summary.problems.some((p) => p.fatal) ? EXIT.unusable : summary.problems.length ? EXIT.failed : EXIT.ok;
    } finally {
      await workspace.close();
    }
  },
};

/**
 * The learner's wallet key for `--holder-key`: a public JWK the SD-JWT VC binds through `cnf`, so that only that wallet
 * can present it. One learner's key, so never with a roster; checked before the workspace reserves anything.
 */
function walletKey(file: string, format: IssueFormat, values: Record<string, unknown>): JWK {
  if (format !== 'dc+sd-jwt') throw new UsageError('--holder-key goes with --format dc+sd-jwt');
  if (!values.learner) throw new UsageError("--holder-key is one learner's wallet key: use it with --learner");
  const jwk = readDataFile(file);
  if (
    typeof jwk !== 'object' ||
    jwk === null ||
    Array.isArray(jwk) ||
    typeof (jwk as { kty?: unknown }).kty !== 'string'
  )
    throw new UsageError(`${file} is not a JWK (a JSON object with "kty")`);
  if ((jwk as { d?: unknown }).d !== undefined)
    throw new UsageError(`${file} holds a private key: give the wallet's public key (without "d")`);
  return jwk as JWK;
}

function progressLine(p: { issued: number; skipped: number; failed: number }): string {
  const total = p.issued + p.skipped + p.failed;
  return `issued ${p.issued}  already ${p.skipped}  problems ${p.failed}  (${count(total, 'row')})`;
}
