import { fileURLToPath } from 'node:url';
import path from 'node:path';
import fs from 'node:fs';
const here = path.dirname(fileURLToPath(import.meta.url));
export const SHARED = path.resolve(here, '../../../shared');
export function fixturePath(...parts: string[]): string {
  return path.join(SHARED, 'fixtures', ...parts);
}
export function readFixtureJson<T = unknown>(...parts: string[]): T {
  return JSON.parse(fs.readFileSync(fixturePath(...parts), 'utf8')) as T;
}
export function readFixtureText(...parts: string[]): string {
  return fs.readFileSync(fixturePath(...parts), 'utf8');
}
/** Every file below `dir` (default: the shared fixtures) whose name matches `pattern`, depth first. */
export function fixtureFiles(pattern = /\.(json|jsonld)$/, dir = fixturePath()): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return fixtureFiles(pattern, full);
    return pattern.test(entry.name) ? [full] : [];
  });
}
/** Every `.json` fixture whose text is a JSON object, parsed (other JSON and unreadable files are left out). */
export function fixtureObjects(): Record<string, unknown>[] {
  return fixtureFiles(/\.json$/).flatMap((file) => {
    try {
      const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
      return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
        ? [parsed as Record<string, unknown>]
        : [];
    } catch {
      return [];
    }
  });
}
