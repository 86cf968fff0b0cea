import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { MicrocredError } from '../index';

/** A definition file's data: YAML for `.yaml`/`.yml`, JSON otherwise. */
export function readDataFile(file: string): unknown {
  const text = fs.readFileSync(file, 'utf8');
  try {
    return /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    throw new MicrocredError('INVALID_INPUT', `${file} is not valid ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'}: ${(e as Error).message}`);
  }
}

/** A JSON file the user names (a JWKS, a DID document). */
export function readJsonFile<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

/** A file (or "-" for standard input) as `verify()` takes it: bytes for a PNG/SVG badge, text otherwise. */
export function readVerifiable(file: string): string | Uint8Array {
  const bytes = file === '-' ? fs.readFileSync(0) : fs.readFileSync(file);
  return /\.(png|svg)$/i.test(file) || bytes.subarray(0, 4).toString('latin1') === '\x89PNG' ? new Uint8Array(bytes) : bytes.toString('utf8');
}

/** `--status-dir`: local copies of status lists, each looked up by the last path segment of its URL. */
export function statusListsFrom(statusDir: string): (url: string) => Promise<unknown> {
  return async (url: string) => JSON.parse(fs.readFileSync(path.join(statusDir, `${url.split('/').pop()}.json`), 'utf8')) as unknown;
}
