import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'tsup';
import { beforeAll, describe, expect, it } from 'vitest';

// The generated validators are plain ESM importing `ajv-formats/dist/formats.js`; this proves that tsup turns
// src/schema into working ESM and CJS bundles with ajv-formats left external, as the package build does.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Inside the repository, so the bundles resolve ajv-formats from its node_modules like an installed package would.
const outDir = path.join(root, 'node_modules', '.cache', 'schema-bundle-test');

type SchemaModule = typeof import('../src/schema');

describe('schema validators bundled by tsup', () => {
  let esm: SchemaModule;
  let cjs: SchemaModule;

  beforeAll(async () => {
    fs.rmSync(outDir, { recursive: true, force: true });
    await build({
      entry: { schema: path.join(root, 'src/schema/index.ts') },
      format: ['esm', 'cjs'],
      outDir,
      platform: 'neutral',
      target: 'es2022',
      dts: false,
      silent: true,
      config: false,
      external: ['ajv', 'ajv-formats'],
    });
    esm = (await import(pathToFileURL(path.join(outDir, 'schema.js')).href)) as SchemaModule;
    cjs = createRequire(import.meta.url)(path.join(outDir, 'schema.cjs')) as SchemaModule;
  });

  it('keeps ajv-formats external and contains no eval', () => {
    for (const file of ['schema.js', 'schema.cjs']) {
      const code = fs.readFileSync(path.join(outDir, file), 'utf8');
      expect(code).toMatch(/ajv-formats\/dist\/formats\.js/);
      expect(code).not.toMatch(/\bnew Function\b|\beval\(/);
    }
  });

  it.each(['esm', 'cjs'] as const)('validates formats and shapes in the %s bundle', (kind) => {
    const mod = kind === 'esm' ? esm : cjs;
    const result = mod.validate({
      validFrom: '2026-01-01T00:00:00',
      credentialSubject: { type: 'AchievementSubject' },
    });
    expect(result.valid).toBe(false);
    expect(result.errors).toContainEqual(expect.objectContaining({ path: '$.validFrom', keyword: 'format' }));
    expect(result.errors).toContainEqual(
      expect.objectContaining({ path: '$.credentialSubject.type', keyword: 'type' }),
    );
    expect(mod.validate({ validFrom: '2026-01-01T00:00:00Z' }).errors.some((e) => e.path === '$.validFrom')).toBe(
      false,
    );
  });
});
