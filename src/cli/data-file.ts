import fs from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { MicrocredError } from '../index';

/**
 * A definition file's data: YAML for `.yaml`/`.yml`, JSON otherwise. Kept apart from files.ts so that the commands
 * that read no definition (verify) do not load the YAML parser.
 */
export function readDataFile(file: string): unknown {
  const text = fs.readFileSync(file, 'utf8');
  try {
    return /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    throw new MicrocredError(
      'INVALID_INPUT',
      `${file} is not valid ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'}: ${(e as Error).message}`,
    );
  }
}
