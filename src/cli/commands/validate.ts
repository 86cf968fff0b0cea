import fs from 'node:fs';
import { parse as parseYaml } from 'yaml';
import {
  checkConformance,
  definitionFromData,
  isMicrocredError,
  type MicrocredError,
  parseCredential,
  validate as validateCredential,
} from '../../index';
import { type Command, EXIT, UsageError } from '../command';

interface ValidationResult {
  file: string;
  valid: boolean;
  kind: 'credential' | 'definition' | 'unreadable';
  schema?: string;
  problems: { code?: string; path: string; message: string }[];
  /** The file could not be read as a credential or definition at all (exit 2). */
  unusable?: boolean;
}

/** `microcred validate`: schemas and conformance for credentials, the definition rules for definition files. */
export const validate: Command = {
  summary:
    'check credentials (JSON, JWT, PNG, SVG) or definition files (YAML, JSON) against the schemas, listing every problem (no signature check)',
  usage: 'microcred validate <credential.json|.jwt|.png|.svg | definition.yaml> [more files…] [--json]',
  examples: [
    'microcred validate examples/rei-programme.yaml',
    'microcred validate out/*.json badge.png credential.jwt --json',
  ],
  options: {},
  async run({ positionals }, out) {
    if (positionals.length === 0) throw new UsageError('validate needs a file');
    const results: ValidationResult[] = [];
    for (const file of positionals) results.push(await validateFile(file));
    if (out.json) out.data(results.length === 1 ? results[0] : { valid: results.every((r) => r.valid), results });
    else
      for (const r of results) {
        if (r.valid)
          out.print(
            `${r.file}: valid ${r.kind === 'definition' ? 'micro-credential definition' : `credential (${r.schema} schema)`}`,
          );
        else {
          out.print(`${r.file}: ${r.problems.length} problem${r.problems.length === 1 ? '' : 's'}`);
          for (const p of r.problems) out.print(`  ${p.path}: ${p.message}`);
        }
      }
    return results.some((r) => r.unusable) ? EXIT.unusable : results.every((r) => r.valid) ? EXIT.ok : EXIT.failed;
  },
};

/** Validates one file of any kind the verifier reads, or a definition file; collects every problem. */
async function validateFile(file: string): Promise<ValidationResult> {
  const bytes = file === '-' ? fs.readFileSync(0) : fs.readFileSync(file);
  const isImage = /\.(png|svg)$/i.test(file) || bytes.subarray(0, 4).toString('latin1') === '\x89PNG';
  const text = isImage ? '' : bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (
    /\.ya?ml$/i.test(file) ||
    (!isImage &&
      /^\s*\{/.test(text) &&
      /"(microCredential|programme)"\s*:/.test(text.slice(0, 200_000)) &&
      !/"credentialSubject"/.test(text))
  ) {
    let data: unknown;
    try {
      data = /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
    } catch (e) {
      return {
        file,
        valid: false,
        kind: 'unreadable',
        unusable: true,
        problems: [
          {
            code: 'INVALID_INPUT',
            path: '$',
            message: `not valid ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'}: ${(e as Error).message}`,
          },
        ],
      };
    }
    return validateDefinition(file, data);
  }
  let credential: Record<string, unknown>;
  try {
    const parsed = await parseCredential(isImage ? new Uint8Array(bytes) : text.trim());
    credential = parsed.credential;
  } catch (e) {
    return {
      file,
      valid: false,
      kind: 'unreadable',
      unusable: true,
      problems: [
        {
          code: (e as MicrocredError).code ?? 'INVALID_INPUT',
          path: (e as MicrocredError).path ?? '$',
          message: (e as Error).message,
        },
      ],
    };
  }
  if ('microCredential' in credential || 'programme' in credential) return validateDefinition(file, credential);
  const result = validateCredential(credential, { lenient: true });
  const conformance = checkConformance(credential);
  const problems = [...result.errors, ...conformance.errors];
  return { file, valid: problems.length === 0, kind: 'credential', schema: result.schema, problems };
}

/** Every problem of a definition file; a missing issuer is fine (the workspace's issuer is used when issuing). */
function validateDefinition(file: string, data: unknown): ValidationResult {
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    return {
      file,
      valid: false,
      kind: 'definition',
      problems: [
        {
          code: 'INVALID_INPUT',
          path: '$',
          message: 'a definition file is a mapping with microCredential or programme',
        },
      ],
    };
  const d = data as Record<string, unknown>;
  const withIssuer =
    d.issuer === undefined
      ? { ...d, issuer: { id: 'https://issuer.invalid/', name: 'The workspace issuer', country: 'EE' } }
      : d;
  try {
    definitionFromData(withIssuer);
    return { file, valid: true, kind: 'definition', problems: [] };
  } catch (e) {
    if (!isMicrocredError(e)) throw e;
    const problems = e.problems.length
      ? e.problems.map((p) => ({ code: p.code, path: p.path, message: p.message }))
      : [{ code: e.code, path: e.path ?? '$', message: e.message }];
    return { file, valid: false, kind: 'definition', problems };
  }
}
