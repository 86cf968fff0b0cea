import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// One vocabulary of codes (src/error-codes.ts), and the sources held to it: every thrown value is a MicrocredError
// (or a caught value thrown on), every code written in src/ is in the vocabulary, every code in the vocabulary is
// written somewhere, and no code is cast from one list to another.

const root = path.resolve(__dirname, '..');
const srcDir = path.join(root, 'src');
const vocabularyFile = path.join(srcDir, 'error-codes.ts');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const full = path.join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(full);
    return d.name.endsWith('.ts') && !d.name.endsWith('.d.ts') ? [full] : [];
  });
}

const vocabulary = new Set(
  [...readFileSync(vocabularyFile, 'utf8').matchAll(/^\s*\| '([A-Z][A-Z0-9_]*)'/gm)].map((m) => m[1]!),
);
const files = sourceFiles(srcDir).filter((f) => f !== vocabularyFile && !f.endsWith('.generated.ts'));
const rel = (f: string) => path.relative(root, f);

/** Where a value is used as a code: `new MicrocredError('X'`, `code: 'X'`, `report.fail(check, 'X'`, `fail(base, 'X'`. */
const CODE_SITES = [
  /MicrocredError\(\s*'([A-Z][A-Z0-9_]*)'/g,
  /\bcode\s*(?::|=(?!=))\s*'([A-Z][A-Z0-9_]*)'/g,
  /\.(?:fail|warn|add|skip|pass)\(\s*'[a-zA-Z]+'\s*,\s*(?:'(?:fail|warn)'\s*,\s*)?'([A-Z][A-Z0-9_]*)'/g,
  /\bfail\(\s*\w+\s*,\s*'([A-Z][A-Z0-9_]*)'/g,
];

/** A code named in a type (`Extract<ErrorCode, 'A' | 'B'>`) declares a subset; it is not a use. */
function withoutTypeLists(text: string): string {
  return text.replace(/Extract<[^>]*>/g, '');
}

/**
 * Internal control-flow signals, each caught in the module that throws it, so none reaches a caller and none needs a
 * code: the fast canonicalizer's (src/jsonld/fast/signals.ts, rdfc.ts: the fast path declines and jsonld.js runs), the
 * compacted-form walk's (src/jsonld/compacted-form.ts: becomes a `not-compacted` result), and the CLI's usage error
 * (src/cli/main.ts: becomes exit code 2 with the usage text).
 */
const INTERNAL_SIGNALS = new Set(['Unsupported', 'Decline', 'ContextMiss', 'NotCompacted', 'UsageError']);

describe('one error-code vocabulary', () => {
  it('has codes, each documented in plain words', () => {
    expect(vocabulary.size).toBeGreaterThan(40);
    const text = readFileSync(vocabularyFile, 'utf8');
    for (const code of vocabulary) expect(text, `${code} has no TSDoc`).toMatch(new RegExp(`\\*/\\n\\s*\\| '${code}'`));
  });

  it('every code written at a throw or report site in src/ is in the vocabulary', () => {
    const unknown: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const site of CODE_SITES) {
        for (const m of text.matchAll(site)) {
          const code = m[1]!;
          if (!vocabulary.has(code)) unknown.push(`${rel(file)}: ${code}`);
        }
      }
    }
    expect(unknown).toEqual([]);
  });

  it('every code in the vocabulary is thrown or reported somewhere in src/', () => {
    const all = files.map((f) => withoutTypeLists(readFileSync(f, 'utf8'))).join('\n');
    const unused = [...vocabulary].filter((code) => !all.includes(`'${code}'`));
    expect(unused).toEqual([]);
  });

  it('no code is cast from one list to another', () => {
    const casts = files.flatMap((f) =>
      [...readFileSync(f, 'utf8').matchAll(/\bas\s+\w*Code\b/g)].map((m) => `${rel(f)}: ${m[0]}`),
    );
    expect(casts).toEqual([]);
  });

  it('every throw in src/ throws a MicrocredError (or passes on a caught value)', () => {
    const config = ts.getParsedCommandLineOfConfigFile(
      path.join(root, 'tsconfig.json'),
      {},
      { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
    )!;
    const program = ts.createProgram({ rootNames: files, options: config.options });
    const checker = program.getTypeChecker();
    const bad: string[] = [];
    let throws = 0;
    for (const file of files) {
      const sf = program.getSourceFile(file)!;
      const visit = (node: ts.Node): void => {
        if (ts.isThrowStatement(node)) {
          throws++;
          const type = checker.getTypeAtLocation(node.expression);
          const name = checker.typeToString(type);
          // `unknown`/`any`: a caught value thrown on unchanged (`catch (e) { …; throw e; }`).
          const ok =
            name === 'MicrocredError' ||
            INTERNAL_SIGNALS.has(name) ||
            ((type.flags & (ts.TypeFlags.Unknown | ts.TypeFlags.Any)) !== 0 && ts.isIdentifier(node.expression));
          if (!ok) {
            const { line } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
            bad.push(`${rel(file)}:${line + 1}: throws ${name}: ${node.expression.getText(sf).slice(0, 80)}`);
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(sf);
    }
    expect(throws).toBeGreaterThan(100);
    expect(bad).toEqual([]);
  }, 120_000);
});

describe('specific codes, never a plain Error or a catch-all', () => {
  it('programme.part() of an id that is not a part is a MicrocredError UNKNOWN_PART, not a RangeError', async () => {
    const { reiProgramme } = await import('../examples/rei-programme');
    expect(() => reiProgramme.part('https://example.org/not-a-part')).toThrow(
      expect.objectContaining({ name: 'MicrocredError', code: 'UNKNOWN_PART' }),
    );
  });

  it('the shared base64url decoder refuses other alphabets, padding and impossible lengths', async () => {
    const { decodeBase64url, toBase64url } = await import('../src/shared/base64url');
    const bytes = new Uint8Array([0xfb, 0xff, 0x00, 0x41]);
    expect(decodeBase64url(toBase64url(bytes))).toEqual(bytes);
    for (const bad of ['+/8=', 'AA==', 'A', 'AAAAA', 42]) expect(decodeBase64url(bad)).toBeUndefined();
  });

  it('a register locked by another writer is REGISTER_LOCKED, not INVALID_INPUT', async () => {
    const { openDatabase } = await import('../src/node/register/driver');
    const { openSqliteRegister } = await import('../src/node/register');
    const { mkdtempSync, rmSync } = await import('node:fs');
    const os = await import('node:os');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mc-locked-'));
    try {
      const file = path.join(dir, 'register.sqlite');
      await (await openSqliteRegister(file)).close();
      const other = await openDatabase(file);
      other.exec('BEGIN IMMEDIATE');
      try {
        const refused = await openSqliteRegister(file, { busyTimeoutMs: 0 }).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(refused).toMatchObject({ name: 'MicrocredError', code: 'REGISTER_LOCKED' });
      } finally {
        other.exec('ROLLBACK');
        other.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
