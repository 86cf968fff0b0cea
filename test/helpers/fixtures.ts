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
