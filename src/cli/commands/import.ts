import fs from 'node:fs';
import { MicrocredError } from '../../index';
import { fromEuropass, MAX_EUROPASS_DOCUMENT_CHARS, reissueFromEuropass } from '../../europass/index';
import { type Command, UsageError } from '../command';
import { writeWhole } from './export';

/** `microcred import`: a Europass European Digital Credential read as EU elements, and re-issued as an Open Badge. */
export const importCommand: Command = {
  summary: 'read a Europass (ELM v3) credential: its EU elements, and an Open Badge to re-issue',
  usage: 'microcred import <edc.json> [--out credential.json]',
  examples: [
    'microcred import europass-credential.json',
    'microcred import europass-credential.json --out unsigned-open-badge.json --json',
  ],
  options: { out: { type: 'string', short: 'o' } },
  async run({ values, positionals }, out) {
    const file = positionals[0];
    if (!file) throw new UsageError('import needs a European Digital Credential file');
    if (fs.statSync(file).size > MAX_EUROPASS_DOCUMENT_CHARS * 4)
      throw new MicrocredError('INVALID_INPUT', `${file} is too large for a credential`);
    const imported = fromEuropass(fs.readFileSync(file, 'utf8'));
    const { view, problems } = imported;
    const credential = problems.length === 0 && imported.awardOptions ? reissueFromEuropass(imported) : undefined;
    if (values.out && credential) writeWhole(values.out as string, JSON.stringify(credential, null, 2) + '\n');
    if (out.json) {
      out.data({ view, input: imported.input, problems, ...(values.out && credential ? { written: values.out } : {}) });
      return credential ? 0 : 1;
    }
    out.print(
      `${view.title ?? '(no title)'}: a European Digital Credential from ${view.awardingBodies.map((b) => b.name ?? b.id).join(', ') || '(no awarding body)'}`,
    );
    out.print('Its eIDAS seal was not checked: this reads what the document says, it does not confirm who issued it.');
    out.print('');
    for (const e of view.elements)
      out.print(
        `  ${e.present ? '✓' : e.mandatory ? '✗' : '–'} ${String(e.n).padStart(2)} ${e.label}${e.present ? '' : e.mandatory ? ' (missing)' : ' (not stated)'}`,
      );
    out.print('');
    if (credential) {
      out.print(
        values.out
          ? `Wrote an unsigned Open Badges 3.0 credential with the same elements to ${values.out as string}. Its issuer signs it through "microcred serve" (POST /credentials/issue, docs/service.md) or the library's issue(); "microcred issue" takes definition files, not credentials.`
          : 'It can be re-issued as an Open Badges 3.0 credential: give --out <file> to write it (unsigned).',
      );
      return 0;
    }
    out.print('It cannot be re-issued as an Open Badges micro-credential as it is:');
    for (const p of problems) out.print(`  ${p.path}: ${p.message}`);
    if (values.out) out.print(`Nothing was written to ${values.out as string}.`);
    return 1;
  },
};
