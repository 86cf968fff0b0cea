import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package's own folder (where `contexts/`, `vocab/` and a built `dist-web/` are), found upward from this module. */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'microcredentials') return dir;
    } catch {
      // not here: one level up
    }
    dir = path.dirname(dir);
  }
  return process.cwd();
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.jsonld': 'application/ld+json',
  '.ttl': 'text/turtle; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
};

/** A file to serve: its bytes and content type. */
export interface StaticFile {
  body: Uint8Array<ArrayBuffer>;
  type: string;
}

/**
 * Every regular file under `dir` (no symbolic links followed, at most `maxFiles`), read once, keyed by its path
 * relative to `dir` with forward slashes. Serving only from this table means no request path is ever joined onto
 * a folder: `..`, encoded slashes or a symbolic link out of the folder find nothing.
 */
export function readStaticTree(dir: string, maxFiles = 2000): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  const walk = (at: string, prefix: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(at, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (files.size >= maxFiles || entry.name.startsWith('.')) continue;
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) walk(full, `${prefix}${entry.name}/`);
      else if (entry.isFile())
        files.set(`${prefix}${entry.name}`, {
          body: new Uint8Array(fs.readFileSync(full)),
          type: TYPES[path.extname(entry.name).toLowerCase()] ?? 'application/octet-stream',
        });
    }
  };
  walk(dir, '');
  return files;
}
