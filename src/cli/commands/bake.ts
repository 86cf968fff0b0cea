import fs from 'node:fs';
import { bake as bakeImage, isMicrocredError, MicrocredError } from '../../index';
import { type Command, UsageError } from '../command';
import { writeOutputFile } from '../files';

/** `microcred bake`: a credential into a copy of a PNG or SVG badge. */
export const bake: Command = {
  summary: 'bake a credential into a PNG or SVG badge image',
  usage: 'microcred bake <image.png|svg> <credential.json|jwt> --out <file> [--replace] [--force]',
  examples: [
    'microcred bake badge.png out/critical-thinking--….json --out mari-badge.png',
    'microcred bake baked.svg new.json --out rebaked.svg --replace',
  ],
  options: { out: { type: 'string', short: 'o' }, replace: { type: 'boolean' }, force: { type: 'boolean' } },
  async run({ values, positionals }, out) {
    const [image, credFile] = positionals;
    if (!image || !credFile || !values.out) throw new UsageError('bake needs an image, a credential and --out');
    // Refused before any work: --out naming an existing file (the input credential or image, say) needs --force.
    if (values.force !== true && fs.existsSync(values.out as string))
      throw new UsageError(`${values.out as string} already exists; add --force to replace it`);
    const text = fs.readFileSync(credFile, 'utf8').trim();
    const credential = text.startsWith('{') ? (JSON.parse(text) as object) : text;
    const replace = values.replace === true;
    let baked: string | Uint8Array;
    try {
      baked = image.toLowerCase().endsWith('.svg')
        ? bakeImage(fs.readFileSync(image, 'utf8'), credential, { replace })
        : bakeImage(new Uint8Array(fs.readFileSync(image)), credential, { replace });
    } catch (e) {
      // The library speaks to programmers ({ replace: true }); a CLI user needs the flag.
      if (isMicrocredError(e) && e.message.includes('{ replace: true }'))
        throw new MicrocredError(e.code, e.message.replace('pass { replace: true }', 'add --replace'), { cause: e });
      throw e;
    }
    writeOutputFile(values.out as string, baked, { force: values.force === true });
    if (out.json) out.data({ file: values.out });
    else out.print(`Wrote ${values.out as string}`);
    return 0;
  },
};
