import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { MicrocredError } from '../index';

/** A JSON file the user names (a JWKS, a DID document). */
export function readJsonFile<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

/** A file (or "-" for standard input) as `verify()` takes it: bytes for a PNG/SVG badge, text otherwise. */
export function readVerifiable(file: string): string | Uint8Array {
  const bytes = file === '-' ? fs.readFileSync(0) : fs.readFileSync(file);
  return /\.(png|svg)$/i.test(file) || bytes.subarray(0, 4).toString('latin1') === '\x89PNG'
    ? new Uint8Array(bytes)
    : bytes.toString('utf8');
}

/** `--status-dir`: local copies of status lists, each looked up by the last path segment of its URL. */
export function statusListsFrom(statusDir: string): (url: string) => Promise<unknown> {
  return async (url: string) => {
    const name = url.split('/').pop()!;
    // An SD-JWT VC's Token Status List is published as <list>.jwt beside <list>.json, and read as the JWT text.
    if (name.endsWith('.jwt')) return fs.readFileSync(path.join(statusDir, name), 'utf8');
    return JSON.parse(fs.readFileSync(path.join(statusDir, `${name}.json`), 'utf8')) as unknown;
  };
}

/**
 * Writes a file the CLI produces (a baked badge, an unbaked credential) atomically and never over an existing one
 * unless `force`: the bytes go to a temporary file beside it, synced, then linked to the name (which fails if the name
 * exists, so two runs cannot both win) or, with `force`, renamed over it. A kill or a full disk leaves no half-written
 * file and the old one (the input credential, say) as it was.
 */
export function writeOutputFile(file: string, data: string | Uint8Array, options: { force?: boolean } = {}): void {
  const dir = path.dirname(path.resolve(file));
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  if (!options.force && fs.existsSync(file))
    throw new MicrocredError('INVALID_INPUT', `${file} already exists; add --force to replace it`, { path: '$.out' });
  try {
    const fd = fs.openSync(tmp, 'wx', 0o644);
    try {
      fs.writeFileSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    if (options.force) fs.renameSync(tmp, file);
    else {
      try {
        fs.linkSync(tmp, file);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST')
          throw new MicrocredError('INVALID_INPUT', `${file} already exists; add --force to replace it`, {
            path: '$.out',
          });
        throw e;
      }
    }
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}
