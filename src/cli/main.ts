import fs from 'node:fs';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { MicrocredError, isMicrocredError } from '../errors';
import { definitionFromData } from '../build/from-data';
import { bake, unbake } from '../bake/index';
import { issue, type IssueFormat } from '../issue';
import { didWebDocument, didWebUrl } from '../keys/did';
import { exportJwks, jwtKeyFromEd25519 } from '../keys/jwt-keys';
import { validate } from '../schema/validate';
import { checkConformance } from '../schema/conformance';
import { verify } from '../verify/verify';
import type { VerificationReport } from '../verify/report';
import { issueRoster, issueRow } from '../node/issue-batch';
import { toRow, isRosterProblem } from '../node/roster';
import { initWorkspace, openWorkspace, STATUS_LIST_SIZE } from '../node/workspace';
import { publishStatusLists } from '../node/publish';
import { formatReport } from './report';
import { safeJson, safeOutput } from './sanitize';

/** Exit codes: 0 done / verified, 1 not verified or failed, 2 unusable input or usage. */
class UsageError extends Error {}

interface Command {
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(args: { values: Record<string, unknown>; positionals: string[] }, out: Output): Promise<number>;
}

interface Output {
  json: boolean;
  print(text: string): void;
  data(value: unknown): void;
  error(text: string): void;
}

const common = { json: { type: 'boolean' as const }, help: { type: 'boolean' as const, short: 'h' }, workspace: { type: 'string' as const, short: 'w' } };

const COMMANDS: Record<string, Command> = {
  init: {
    summary: 'create an issuer workspace (profile, Ed25519 key, DID, register, status list)',
    usage: 'microcred init [dir] --name <issuer name> --country <ISO alpha-2> --status-url <https prefix/> [--did-web did:web:…] [--region …] [--url …] [--email …] [--status-purpose revocation|suspension]',
    options: { name: { type: 'string' }, country: { type: 'string' }, region: { type: 'string' }, url: { type: 'string' }, email: { type: 'string' }, 'did-web': { type: 'string' }, 'status-url': { type: 'string' }, 'status-purpose': { type: 'string' } },
    async run({ values, positionals }, out) {
      const dir = positionals[0] ?? (values.workspace as string | undefined) ?? '.';
      if (!values.name || !values.country) throw new UsageError('init needs --name and --country');
      const purpose = (values['status-purpose'] as string | undefined) ?? 'revocation';
      if (purpose !== 'revocation' && purpose !== 'suspension') throw new UsageError('--status-purpose is revocation or suspension');
      const { workspace, didDocument, didDocumentUrl } = await initWorkspace(dir, {
        name: values.name as string,
        country: values.country as string,
        ...(values.region ? { region: values.region as string } : {}),
        ...(values.url ? { url: values.url as string } : {}),
        ...(values.email ? { email: values.email as string } : {}),
        ...(values['did-web'] ? { didWeb: values['did-web'] as string } : {}),
        ...(values['status-url'] ? { statusBaseUrl: values['status-url'] as string } : {}),
        statusPurpose: purpose,
      });
      const result = { dir: path.resolve(dir), issuer: workspace.config.did, statusList: workspace.config.statusList, ...(didDocumentUrl ? { hostDidDocumentAt: didDocumentUrl } : {}) };
      await workspace.close();
      if (out.json) out.data(result);
      else {
        out.print(`Workspace created in ${result.dir}`);
        out.print(`Issuer: ${result.issuer}`);
        if (didDocument) out.print(`Host ${path.join(result.dir, 'did.json')} at ${didDocumentUrl}`);
        out.print(`Status list: publish with "microcred status publish" and host it at ${result.statusList}`);
      }
      return 0;
    },
  },

  issue: {
    summary: 'issue a micro-credential to one learner or a roster',
    usage: 'microcred issue -w <workspace> --definition <file.json|yaml> (--learner <did|email> [--grade G] [--part id] | --roster learners.csv) [--encoding cp1252] [--format eddsa-rdfc-2022|eddsa-jcs-2022|vc-jwt] [--out dir] [--badge image.png|svg]',
    options: { definition: { type: 'string', short: 'd' }, learner: { type: 'string' }, grade: { type: 'string' }, part: { type: 'string' }, roster: { type: 'string' }, format: { type: 'string' }, out: { type: 'string', short: 'o' }, badge: { type: 'string' }, encoding: { type: 'string' } },
    async run({ values }, out) {
      if (!values.definition) throw new UsageError('issue needs --definition');
      if (!values.learner === !values.roster) throw new UsageError('issue needs exactly one of --learner or --roster');
      const format = ((values.format as string | undefined) ?? 'eddsa-rdfc-2022') as IssueFormat;
      if (!['eddsa-rdfc-2022', 'eddsa-jcs-2022', 'vc-jwt'].includes(format)) throw new UsageError(`unknown --format ${format}`);
      const workspace = await openWorkspace((values.workspace as string | undefined) ?? '.');
      try {
        const data = readDataFile(values.definition as string);
        const { definition } = definitionFromData({ ...(data as object), issuer: issuerInputOf(workspace.config.issuer) });
        const outDir = (values.out as string | undefined) ?? path.join(workspace.dir, 'credentials');
        fs.mkdirSync(outDir, { recursive: true, mode: 0o700 });
        const badge = values.badge ? { bytes: new Uint8Array(fs.readFileSync(values.badge as string)), ext: (values.badge as string).toLowerCase().endsWith('.svg') ? ('svg' as const) : ('png' as const) } : undefined;
        const options = { format, outDir, ...(badge ? { badgeImage: badge } : {}), ...(values.encoding ? { roster: { encoding: values.encoding as string } } : {}) };
        if (values.learner) {
          const who = values.learner as string;
          const row = toRow({ [/^[^\s@:]+@[^\s@]+$/.test(who) ? 'email' : 'learner']: who, ...(values.grade ? { grade: values.grade as string } : {}), ...(values.part ? { part: values.part as string } : {}) }, 0);
          if (isRosterProblem(row)) throw new UsageError(row.message);
          const r = await issueRow(workspace, definition, row, options);
          if (out.json) out.data(r);
          else out.print(r.skipped ? 'Already issued (see the register); nothing to do' : `Issued ${r.file}`);
          return 0;
        }
        const tty = process.stderr.isTTY && !out.json;
        const summary = await issueRoster(workspace, definition, values.roster as string, {
          ...options,
          ...(tty ? { onProgress: (p: { issued: number; skipped: number; failed: number }) => process.stderr.write(`\r${progressBar(p)}`) } : {}),
        });
        if (tty) process.stderr.write('\n');
        if (out.json) out.data(summary);
        else {
          out.print(`Issued ${summary.issued}, already issued ${summary.skipped}, problems ${summary.problems.length}; files in ${outDir}`);
          for (const p of summary.problems) out.error(`  line ${p.line}: ${p.message}`);
        }
        return summary.problems.length ? 1 : 0;
      } finally {
        await workspace.close();
      }
    },
  },

  verify: {
    summary: 'verify credentials (JSON, JWT, PNG or SVG files; "-" for standard input)',
    usage: 'microcred verify <file|-> [more files…] [--status-dir dir] [--jwks jwks.json] [--did-document did.json] [--now ISO] [--json]',
    options: { 'status-dir': { type: 'string' }, jwks: { type: 'string' }, now: { type: 'string' }, 'did-document': { type: 'string', multiple: true } },
    async run({ values, positionals }, out) {
      if (positionals.length === 0) throw new UsageError('verify needs a file (or - for standard input)');
      const statusDir = values['status-dir'] as string | undefined;
      // Local copies only: a status list is looked up by its last path segment, a DID document by its id.
      const didDocuments = ((values['did-document'] as string[] | undefined) ?? []).map((f) => JSON.parse(fs.readFileSync(f, 'utf8')) as { id?: string });
      const options = {
        ...(values.now ? { now: new Date(values.now as string) } : {}),
        ...(values.jwks ? { jwks: JSON.parse(fs.readFileSync(values.jwks as string, 'utf8')) as { keys: Record<string, unknown>[] } } : {}),
        ...(statusDir ? { fetchStatusList: async (url: string) => JSON.parse(fs.readFileSync(path.join(statusDir, `${url.split('/').pop()}.json`), 'utf8')) as unknown } : {}),
        ...(didDocuments.length ? { resolveDocument: async (url: string) => { const doc = didDocuments.find((d) => typeof d.id === 'string' && d.id.startsWith('did:web:') && didWebUrl(d.id) === url); if (!doc) throw new Error(`no local DID document for ${url}`); return doc; } } : {}),
      };
      const reports: { file: string; report: VerificationReport }[] = [];
      for (const file of positionals) {
        const bytes = file === '-' ? fs.readFileSync(0) : fs.readFileSync(file);
        const input = /\.(png|svg)$/i.test(file) || bytes.subarray(0, 4).toString('latin1') === '\x89PNG' ? new Uint8Array(bytes) : bytes.toString('utf8');
        reports.push({ file, report: await verify(input, options) });
      }
      const all = reports.every((r) => r.report.verified);
      if (out.json) out.data(reports.length === 1 ? reports[0]!.report : { verified: all, results: reports.map((r) => ({ file: r.file, verified: r.report.verified, failed: r.report.checks.filter((c) => c.status === 'fail') })) });
      else if (reports.length === 1) out.print(formatReport(reports[0]!.report));
      else {
        for (const r of reports) if (!r.report.verified) out.print(`✗ ${r.file}: ${r.report.checks.filter((c) => c.status === 'fail').map((c) => c.message).join('; ')}`);
        out.print(`${reports.filter((r) => r.report.verified).length} of ${reports.length} verified`);
      }
      return all ? 0 : 1;
    },
  },

  validate: {
    summary: 'check a credential or a definition file against the schemas (no signature check)',
    usage: 'microcred validate <credential.json | definition.yaml>',
    options: {},
    async run({ positionals }, out) {
      const file = positionals[0];
      if (!file) throw new UsageError('validate needs a file');
      const data = readDataFile(file) as Record<string, unknown>;
      if ('microCredential' in data || 'programme' in data) {
        definitionFromData(data);
        if (out.json) out.data({ valid: true, kind: 'definition' });
        else out.print(`${file}: a valid micro-credential definition`);
        return 0;
      }
      const result = validate(data, { lenient: true });
      const conformance = checkConformance(data);
      const errors = [...result.errors, ...conformance.errors];
      if (out.json) out.data({ valid: errors.length === 0, schema: result.schema, errors });
      else if (errors.length === 0) out.print(`${file}: valid (${result.schema} schema)`);
      else for (const e of errors) out.print(`${e.path}: ${e.message}`);
      return errors.length ? 1 : 0;
    },
  },

  revoke: statusCommand('revocation', true, 'revoke a credential (final)'),
  suspend: statusCommand('suspension', true, 'suspend a credential'),
  reinstate: statusCommand('suspension', false, 'lift a suspension'),

  status: {
    summary: 'status publish: write the signed status list credentials to host; status lists: show them; status new-list: start the next list now',
    usage: 'microcred status publish|lists|new-list -w <workspace> [--out dir]',
    options: { out: { type: 'string', short: 'o' } },
    async run({ values, positionals }, out) {
      const what = positionals[0];
      if (what !== 'publish' && what !== 'lists' && what !== 'new-list') throw new UsageError('usage: microcred status publish|lists|new-list');
      const workspace = await openWorkspace((values.workspace as string | undefined) ?? '.');
      try {
        if (what === 'lists') {
          const lists = await workspace.statusLists();
          if (out.json) out.data(lists);
          else for (const l of lists) out.print(`${l.id}  ${l.purpose}  ${l.allocated} of ${l.size} indexes used`);
          return 0;
        }
        if (what === 'new-list') {
          const lists = await workspace.statusLists();
          const id = `${workspace.config.statusList}-${lists.length + 1}`;
          const list = await workspace.register.ensureStatusList({ id, purpose: workspace.config.statusPurpose, size: lists[lists.length - 1]?.size ?? STATUS_LIST_SIZE });
          if (out.json) out.data(list);
          else out.print(`New status list ${list.id}: new credentials take their index from it once the current list is full; publish it with "microcred status publish"`);
          return 0;
        }
        const published = await publishStatusLists(workspace, { ...(values.out ? { outDir: values.out as string } : {}) });
        if (out.json) out.data(published.length === 1 ? { file: published[0]!.file, hostAt: published[0]!.hostAt, lists: published } : { lists: published });
        else for (const p of published) out.print(`Wrote ${p.file} (${p.set} set, checked after writing); host it at ${p.hostAt}`);
        return 0;
      } finally {
        await workspace.close();
      }
    },
  },

  bake: {
    summary: 'bake a credential into a PNG or SVG badge image',
    usage: 'microcred bake <image.png|svg> <credential.json|jwt> --out <file> [--replace]',
    options: { out: { type: 'string', short: 'o' }, replace: { type: 'boolean' } },
    async run({ values, positionals }, out) {
      const [image, credFile] = positionals;
      if (!image || !credFile || !values.out) throw new UsageError('bake needs an image, a credential and --out');
      const text = fs.readFileSync(credFile, 'utf8').trim();
      const credential = text.startsWith('{') ? (JSON.parse(text) as object) : text;
      const replace = values.replace === true;
      const baked = image.toLowerCase().endsWith('.svg') ? bake(fs.readFileSync(image, 'utf8'), credential, { replace }) : bake(new Uint8Array(fs.readFileSync(image)), credential, { replace });
      fs.writeFileSync(values.out as string, baked);
      if (out.json) out.data({ file: values.out });
      else out.print(`Wrote ${values.out as string}`);
      return 0;
    },
  },

  unbake: {
    summary: 'extract the credential baked into a PNG or SVG badge',
    usage: 'microcred unbake <image.png|svg> [--out file]',
    options: { out: { type: 'string', short: 'o' } },
    async run({ values, positionals }, out) {
      if (!positionals[0]) throw new UsageError('unbake needs an image');
      const payload = await unbake(new Uint8Array(fs.readFileSync(positionals[0])));
      const text = payload.format === 'jwt' ? payload.jwt : JSON.stringify(payload.credential, null, 2);
      if (values.out) fs.writeFileSync(values.out as string, text + '\n');
      else if (out.json) out.data(payload);
      else out.print(text);
      return 0;
    },
  },

  keys: {
    summary: 'keys show | did-document | jwks: the workspace key, its DID document, its JWKS',
    usage: 'microcred keys show|did-document|jwks -w <workspace>',
    options: {},
    async run({ values, positionals }, out) {
      const workspace = await openWorkspace((values.workspace as string | undefined) ?? '.');
      try {
        const { key, config } = workspace;
        const what = positionals[0] ?? 'show';
        let data: unknown;
        if (what === 'show') data = { issuer: config.did, verificationMethod: key.id, publicKeyMultibase: key.publicKeyMultibase };
        else if (what === 'did-document') data = config.did.startsWith('did:web:') ? didWebDocument(key, config.did) : { note: 'did:key documents are derived from the key itself; nothing to host', did: config.did };
        else if (what === 'jwks') data = exportJwks([await jwtKeyFromEd25519(key)]);
        else throw new UsageError('keys show | did-document | jwks');
        out.data(data);
        return 0;
      } finally {
        await workspace.close();
      }
    },
  },
};

function statusCommand(purpose: 'revocation' | 'suspension', value: boolean, summary: string): Command {
  return {
    summary,
    usage: `microcred ${purpose === 'revocation' ? 'revoke' : value ? 'suspend' : 'reinstate'} <credential-id> --reason "…" -w <workspace> [--actor name]`,
    options: { reason: { type: 'string' }, actor: { type: 'string' } },
    async run({ values, positionals }, out) {
      const id = positionals[0];
      if (!id) throw new UsageError('give the credential id');
      if (!values.reason) throw new UsageError('give --reason; it is kept in the register');
      const workspace = await openWorkspace((values.workspace as string | undefined) ?? '.');
      try {
        if (workspace.config.statusPurpose !== purpose) {
          throw new MicrocredError('STATUS_ERROR', `This workspace's credentials carry a ${workspace.config.statusPurpose} entry, so they cannot be ${purpose === 'revocation' ? 'revoked' : 'suspended'} (choose --status-purpose at init)`);
        }
        const result = await workspace.register.setStatus({ credentialId: id, purpose, value, reason: values.reason as string, ...(values.actor ? { actor: values.actor as string } : {}) });
        if (out.json) out.data(result);
        else if (!result.recorded) out.print(`${id}: ${purpose} was already ${value ? 'set' : 'lifted'}${result.change ? ` (${result.change.at}: ${result.change.reason})` : ''}; nothing recorded`);
        else out.print(`${id}: ${purpose} ${value ? 'set' : 'lifted'} (${result.change!.reason}); run "microcred status publish" to publish it`);
        return 0;
      } finally {
        await workspace.close();
      }
    },
  };
}

function readDataFile(file: string): unknown {
  const text = fs.readFileSync(file, 'utf8');
  try {
    return /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    throw new MicrocredError('INVALID_INPUT', `${file} is not valid ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'}: ${(e as Error).message}`);
  }
}

/** Definition files name the issuer; the workspace's issuer (with its DID) always wins. */
function issuerInputOf(profile: { id: string; name?: string; address?: { addressCountryCode?: string; addressRegion?: string }; url?: string; email?: string }) {
  return { id: profile.id, name: profile.name ?? '', country: profile.address?.addressCountryCode ?? '', ...(profile.address?.addressRegion ? { region: profile.address.addressRegion } : {}), ...(profile.url ? { url: profile.url } : {}), ...(profile.email ? { email: profile.email } : {}) };
}

function progressBar(p: { issued: number; skipped: number; failed: number }): string {
  const total = p.issued + p.skipped + p.failed;
  return `issued ${p.issued}  already ${p.skipped}  problems ${p.failed}  (${total} rows)`;
}

function help(): string {
  return ['microcred — issue and verify EU micro-credentials as Open Badges 3.0', '', ...Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(10)} ${c.summary}`), '', 'microcred <command> --help for details; --json for machine-readable output.'].join('\n');
}

export async function main(argv: string[], io: { stdout: (s: string) => void; stderr: (s: string) => void } = { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) }): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(help() + '\n');
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr(`Unknown command "${name}".\n${help()}\n`);
    return 2;
  }
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: rest, options: { ...common, ...command.options }, allowPositionals: true, strict: true }) as typeof parsed;
  } catch (e) {
    io.stderr(`${(e as Error).message}\nusage: ${command.usage}\n`);
    return 2;
  }
  if (parsed.values.help) {
    io.stdout(`${command.summary}\n\nusage: ${command.usage}\n`);
    return 0;
  }
  const out: Output = {
    json: parsed.values.json === true,
    print: (t) => io.stdout(safeOutput(t) + '\n'),
    data: (v) => io.stdout(safeJson(JSON.stringify(v, null, 2)) + '\n'),
    error: (t) => io.stderr(safeOutput(t) + '\n'),
  };
  try {
    return await command.run(parsed, out);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`${e.message}\nusage: ${command.usage}\n`);
      return 2;
    }
    if (isMicrocredError(e) || (e as NodeJS.ErrnoException).code === 'ENOENT') {
      const err = e as Error & { code?: string };
      if (out.json) out.data({ error: { code: err.code, message: err.message } });
      else io.stderr(`${err.message}\n`);
      return 2;
    }
    throw e;
  }
}

export type { VerificationReport };
