import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENTRIES } from '../scripts/entries.mjs';

/**
 * The command line (src/cli/), the service (src/server/) and the page (web/) are clients of the package: they import
 * its entries (src/index.ts, src/node/index.ts and the subpath entries in scripts/entries.mjs, or the same by package
 * name), their own folder, Node built-ins and third-party packages, never an internal module of the library.
 */
const root = path.resolve(__dirname, '..');
const CLIENTS = ['src/cli', 'src/server', 'web'];
const entryFiles = new Set(Object.values(ENTRIES).map((f) => path.join(root, f)));
const entryNames = new Set(
  Object.keys(ENTRIES).map((n) => (n === 'index' ? 'microcredentials' : `microcredentials/${n}`)),
);

/** Every module specifier of a source file: static imports and re-exports, `import type`, and dynamic `import()`. */
function specifiers(source: string): string[] {
  const found: string[] = [];
  for (const m of source.matchAll(/(?:^|[\s;}])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]/g))
    found.push(m[1]!);
  for (const m of source.matchAll(/(?:^|[\s;])import\s*['"]([^'"]+)['"]/g)) found.push(m[1]!);
  for (const m of source.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push(m[1]!);
  return found;
}

function resolveRelative(from: string, spec: string): string {
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, path.join(base, 'index.ts')])
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  return `${base}.ts`;
}

/** The imports of the files under `clientDir` that reach past the package's entries, as `file: specifier`. */
function boundaryViolations(clientDir: string, projectRoot = root, entries = entryFiles): string[] {
  const bad: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules' && e.name !== 'dist') walk(file);
        continue;
      }
      if (!/\.(ts|tsx|js|mjs|cjs|mts)$/.test(e.name)) continue;
      for (const spec of specifiers(fs.readFileSync(file, 'utf8'))) {
        const where = `${path.relative(projectRoot, file)}: ${spec}`;
        if (spec.startsWith('.')) {
          const target = resolveRelative(file, spec);
          if (!entries.has(target) && !target.startsWith(clientDir + path.sep)) bad.push(where);
        } else if (spec === 'microcredentials' || spec.startsWith('microcredentials/')) {
          if (!entryNames.has(spec)) bad.push(where);
        } else if (path.isAbsolute(spec)) bad.push(where);
      }
    }
  };
  if (fs.existsSync(clientDir)) walk(clientDir);
  return bad;
}

describe('clients of the public entries', () => {
  for (const client of CLIENTS) {
    it(`${client}/ imports only the package entries`, () => {
      expect(boundaryViolations(path.join(root, client))).toEqual([]);
    });
  }

  it('the check catches an import of an internal module (relative, by package path, type-only or dynamic)', () => {
    const fake = fs.mkdtempSync(path.join(os.tmpdir(), 'boundary-'));
    try {
      const src = path.join(fake, 'src');
      fs.mkdirSync(path.join(src, 'cli', 'commands'), { recursive: true });
      fs.mkdirSync(path.join(src, 'verify'), { recursive: true });
      fs.writeFileSync(path.join(src, 'index.ts'), 'export const x = 1;\n');
      fs.writeFileSync(path.join(src, 'verify', 'parse.ts'), 'export const y = 1;\n');
      fs.writeFileSync(path.join(src, 'cli', 'command.ts'), 'export const z = 1;\n');
      fs.writeFileSync(
        path.join(src, 'cli', 'commands', 'bad.ts'),
        [
          "import { x } from '../../index';",
          "import { z } from '../command';",
          "import fs from 'node:fs';",
          "import { parse } from 'yaml';",
          "import { y } from '../../verify/parse';",
          "import type { Y } from '../../verify/parse';",
          "export { y as w } from '../../verify/parse';",
          "const later = await import('../../verify/parse');",
          "import { q } from 'microcredentials/dist/chunk.js';",
          "import { r } from 'microcredentials';",
        ].join('\n'),
      );
      const bad = boundaryViolations(path.join(src, 'cli'), fake, new Set([path.join(src, 'index.ts')]));
      expect(bad.map((b) => b.split(': ')[1])).toEqual([
        '../../verify/parse',
        '../../verify/parse',
        '../../verify/parse',
        'microcredentials/dist/chunk.js',
        '../../verify/parse',
      ]);
    } finally {
      fs.rmSync(fake, { recursive: true, force: true });
    }
  });
});
