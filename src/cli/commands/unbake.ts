import fs from 'node:fs';
import { unbake as unbakeImage } from '../../index';
import { type Command, UsageError } from '../command';
import { writeOutputFile } from '../files';

/** `microcred unbake`: the credential baked into a PNG or SVG badge. */
export const unbake: Command = {
  summary: 'extract the credential baked into a PNG or SVG badge',
  usage: 'microcred unbake <image.png|svg> [--out file [--force]]',
  examples: ['microcred unbake badge.png --out credential.json'],
  options: { out: { type: 'string', short: 'o' }, force: { type: 'boolean' } },
  async run({ values, positionals }, out) {
    if (!positionals[0]) throw new UsageError('unbake needs an image');
    if (values.out && values.force !== true && fs.existsSync(values.out as string))
      throw new UsageError(`${values.out as string} already exists; add --force to replace it`);
    const payload = await unbakeImage(new Uint8Array(fs.readFileSync(positionals[0])));
    const text = payload.format === 'jwt' ? payload.jwt : JSON.stringify(payload.credential, null, 2);
    if (values.out) writeOutputFile(values.out as string, text + '\n', { force: values.force === true });
    else if (out.json) out.data(payload);
    else out.print(text);
    return 0;
  },
};
