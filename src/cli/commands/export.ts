import fs from 'node:fs';
import path from 'node:path';
import { MicrocredError } from '../../index';
import { toEuropass } from '../../europass/index';
import { type Command, UsageError } from '../command';

/** Writes a file whole or not at all: a temporary file beside it, renamed over it. */
export function writeWhole(file: string, text: string): void {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  fs.writeFileSync(temporary, text, { flag: 'wx' });
  try {
    fs.renameSync(temporary, file);
  } catch (e) {
    fs.rmSync(temporary, { force: true });
    throw e;
  }
}

/** `microcred export --europass`: an Open Badges micro-credential as an unsigned European Digital Credential (ELM v3). */
export const exportCommand: Command = {
  summary: 'export a micro-credential as a Europass (ELM v3) European Digital Credential',
  usage:
    'microcred export --europass <credential.json> [--out edc.json] [--legal-id <eIDAS legal identifier>] [--language en]',
  examples: [
    'microcred export --europass mari-critical-thinking.json --out mari-critical-thinking.edc.json',
    'microcred export --europass credential.json --legal-id "EE74001073" --out edc.json',
  ],
  options: {
    europass: { type: 'string' },
    out: { type: 'string', short: 'o' },
    'legal-id': { type: 'string' },
    language: { type: 'string' },
  },
  async run({ values }, out) {
    const file = values.europass as string | undefined;
    if (!file) throw new UsageError('export needs --europass <credential.json> (the only export format so far)');
    let credential: unknown;
    try {
      credential = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw e;
      throw new MicrocredError('INVALID_INPUT', `${file} is not a JSON credential: ${(e as Error).message}`);
    }
    const legalId = values['legal-id'] as string | undefined;
    const edc = toEuropass(credential, {
      ...(legalId ? { legalIdentifier: { notation: legalId } } : {}),
      ...(values.language ? { textLanguage: values.language as string } : {}),
    });
    const text = JSON.stringify(edc, null, 2) + '\n';
    if (values.out) {
      writeWhole(values.out as string, text);
      if (out.json) out.data({ written: values.out, id: edc.id });
      else {
        out.print(`Wrote the European Digital Credential to ${values.out as string}.`);
        out.print(
          "It is unsigned: your EDC issuing service seals it with your organisation's eIDAS seal before it goes to the learner.",
        );
        if (!legalId)
          out.print(
            "Tip: give --legal-id with the legal identifier in your eIDAS seal certificate; until then the issuer's id stands in for it.",
          );
      }
    } else if (out.json) out.data(edc);
    else out.print(text.trimEnd());
    return 0;
  },
};
