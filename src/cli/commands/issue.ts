import fs from 'node:fs';
import path from 'node:path';
import { definitionFromData, type IssueFormat, isMicrocredError, type Profile } from '../../index';
import { isRosterProblem, issueRoster, issueRow, learnerRow, openWorkspace } from '../../node/index';
import { type Command, EXIT, ISSUE_FORMATS, UsageError, workspaceDir } from '../command';
import { readDataFile } from '../files';

/** `microcred issue`: one learner (--learner) or a roster (--roster) from a definition file. */
export const issue: Command = {
  summary: 'issue a micro-credential to one learner or a roster',
  examples: [
    'microcred issue -w ~/ut-office --definition examples/rei-programme.yaml --roster autumn.csv --out out/',
    'microcred issue -w ~/ut-office -d programme.yaml --roster excel-export.csv --encoding cp1252',
    'microcred issue -w ~/ut-office -d programme.yaml --learner mari@example.ee --grade A --part "Critical thinking and argumentation"',
  ],
  usage: 'microcred issue -w <workspace> --definition <file.json|yaml> (--learner <did|email> [--grade G] [--part id] | --roster learners.csv) [--encoding cp1252] [--format eddsa-rdfc-2022|eddsa-jcs-2022|vc-jwt] [--out dir] [--badge image.png|svg]',
  options: { definition: { type: 'string', short: 'd' }, learner: { type: 'string' }, grade: { type: 'string' }, part: { type: 'string' }, roster: { type: 'string' }, format: { type: 'string' }, out: { type: 'string', short: 'o' }, badge: { type: 'string' }, encoding: { type: 'string' } },
  async run({ values }, out) {
    if (!values.definition) throw new UsageError('issue needs --definition');
    if (!values.learner === !values.roster) throw new UsageError('issue needs exactly one of --learner or --roster');
    const format = ((values.format as string | undefined) ?? 'eddsa-rdfc-2022') as IssueFormat;
    if (!(ISSUE_FORMATS as readonly string[]).includes(format)) throw new UsageError(`unknown --format ${format}`);
    const workspace = await openWorkspace(workspaceDir(values));
    try {
      const data = readDataFile(values.definition as string);
      const { definition } = definitionFromData({ ...(data as object), issuer: issuerInputOf(workspace.config.issuer) });
      const outDir = (values.out as string | undefined) ?? path.join(workspace.dir, 'credentials');
      fs.mkdirSync(outDir, { recursive: true, mode: 0o700 });
      const badge = values.badge ? { bytes: new Uint8Array(fs.readFileSync(values.badge as string)), ext: (values.badge as string).toLowerCase().endsWith('.svg') ? ('svg' as const) : ('png' as const) } : undefined;
      const options = { format, outDir, ...(badge ? { badgeImage: badge } : {}), ...(values.encoding ? { roster: { encoding: values.encoding as string } } : {}) };
      if (values.learner) {
        const row = learnerRow(values.learner as string, { ...(values.grade ? { grade: values.grade as string } : {}), ...(values.part ? { part: values.part as string } : {}) });
        if (isRosterProblem(row)) throw new UsageError(row.message);
        let r;
        try {
          r = await issueRow(workspace, definition, row, options);
        } catch (e) {
          // The awarding rule refused the programme: a verdict about the learner (exit 1), with every reason.
          if (!isMicrocredError(e) || e.code !== 'PROGRAMME_NOT_EARNED') throw e;
          if (out.json) out.data({ error: { code: e.code, message: e.message, reasons: e.problems.map((p) => p.message) } });
          else out.error(`Not issued: ${e.message}`);
          return EXIT.failed;
        }
        if (out.json) out.data(r);
        else out.print(r.skipped ? 'Already issued (see the register); nothing to do' : `Issued ${r.file}`);
        return 0;
      }
      const tty = process.stderr.isTTY && !out.json;
      const summary = await issueRoster(workspace, definition, values.roster as string, {
        ...options,
        ...(tty ? { onProgress: (p: { issued: number; skipped: number; failed: number }) => process.stderr.write(`\r${progressLine(p)}`) } : {}),
      });
      if (tty) process.stderr.write('\n');
      if (out.json) out.data(summary);
      else {
        out.print(`Issued ${summary.issued}, already issued ${summary.skipped}, problems ${summary.problems.length}; files in ${outDir}`);
        for (const p of summary.problems) out.error(`  line ${p.line}: ${p.message}`);
      }
      // A roster that could not be read as a whole (encoding, header, CSV structure) is unusable input.
      return summary.problems.some((p) => p.fatal) ? EXIT.unusable : summary.problems.length ? EXIT.failed : EXIT.ok;
    } finally {
      await workspace.close();
    }
  },
};

/** Definition files name the issuer; the workspace's issuer (with its DID) always wins. */
function issuerInputOf(profile: Profile) {
  return { id: profile.id, name: profile.name ?? '', country: profile.address?.addressCountryCode ?? '', ...(profile.address?.addressRegion ? { region: profile.address.addressRegion } : {}), ...(profile.url ? { url: profile.url } : {}), ...(profile.email ? { email: profile.email } : {}) };
}

function progressLine(p: { issued: number; skipped: number; failed: number }): string {
  const total = p.issued + p.skipped + p.failed;
  return `issued ${p.issued}  already ${p.skipped}  problems ${p.failed}  (${total} rows)`;
}
