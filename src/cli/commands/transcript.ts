import type { IssueFormat } from '../../index';
import { makeTranscript, openWorkspace } from '../../node/index';
import { type Command, ISSUE_FORMATS, workspaceDir } from '../command';

/** `microcred transcript`: a learner's CLR 2.0 from the register (makeTranscript in microcredentials/node). */
export const transcript: Command = {
  summary: "make a learner's CLR 2.0 transcript (their programme and part credentials, signed) from the register",
  usage:
    'microcred transcript -w <workspace> --learner <email|student id|national id|DID> [--out file.json] [--name "Transcript: …"] [--format eddsa-rdfc-2022|eddsa-jcs-2022|vc-jwt] [--json]',
  examples: [
    'microcred transcript -w ~/ut-office --learner mari@example.ee --out mari-transcript.json',
    'microcred verify mari-transcript.json --status-dir ~/ut-office/status',
  ],
  options: {
    learner: { type: 'string' },
    out: { type: 'string', short: 'o' },
    name: { type: 'string' },
    format: { type: 'string' },
  },
  async run({ values }, out) {
    if (!values.learner) {
      out.error(`transcript needs --learner\nusage: ${transcript.usage}`);
      return 2;
    }
    const format = ((values.format as string | undefined) ?? 'eddsa-rdfc-2022') as IssueFormat;
    if (!(ISSUE_FORMATS as readonly string[]).includes(format)) {
      out.error(`unknown --format ${format}\nusage: ${transcript.usage}`);
      return 2;
    }
    const workspace = await openWorkspace(workspaceDir(values));
    try {
      const result = await makeTranscript(workspace, values.learner as string, {
        format,
        ...(values.out ? { out: values.out as string } : {}),
        ...(values.name ? { name: values.name as string } : {}),
      });
      if (out.json) out.data(result);
      else {
        out.print(
          `Wrote the transcript ${result.file} (${result.credentials.length} credential${result.credentials.length === 1 ? '' : 's'})`,
        );
        for (const l of result.leftOut)
          out.print(`  left out ${l.credentialId} (${l.achievementId.split('/').pop()}): ${l.why}`);
        if (!result.linked)
          out.print(
            "  Note: this workspace salts each credential afresh, so a verifier needs the learner's identifier to link the transcript (verify … --learner <email>)",
          );
      }
      return 0;
    } finally {
      await workspace.close();
    }
  },
};
