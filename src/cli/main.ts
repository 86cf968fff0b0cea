import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { MicrocredError, isMicrocredError } from '../errors';
import { definitionFromData } from '../builders/from-data';
import { bake, unbake } from '../bake/index';
import type { IssueFormat } from '../issue';
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
import { guardAgainstGit } from '../node/git-guard';
import type { Workspace } from '../node/workspace';
import type { IssuanceRecord, IssuedFilter } from '../node/register';
import { parseInput } from '../verify/parse';
import { unbakeForVerify } from '../verify/unbake-step';
import { formatReport } from './report';
import { verifyPresentationCommand } from './verify-presentation';
import { identitiesFor, isClrText, learnerOption, readVerifiable, transcriptCommand, verifyStackFiles } from './stack';
import { safeJson, safeOutput } from './sanitize';

/**
 * Exit codes (docs/cli.md): 0 done / verified / valid; 1 not verified, not valid, or some roster rows failed;
 * 2 unusable input (unreadable file, not a credential at all, bad workspace) or a usage error; 3 an internal error
 * (a bug: run again with MICROCRED_DEBUG=1 for the stack trace and report it).
 */
export const EXIT = { ok: 0, failed: 1, unusable: 2, internal: 3 } as const;

class UsageError extends Error {}

interface Command {
  summary: string;
  usage: string;
  /** Shown by `microcred <command> --help`. */
  examples: string[];
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
    usage: 'microcred init [dir] --name <issuer name> --country <ISO alpha-2> --status-url <https prefix/> [--did-web did:web:…] [--region …] [--url …] [--email …] [--status-purpose revocation|suspension] [--salt-per-credential]',
    examples: [
      'microcred init ~/ut-office --name "University of Tartu" --country EE --status-url https://www.ut.ee/status/',
      'microcred init ~/ut-office --name "University of Tartu" --country EE --did-web did:web:www.ut.ee',
      'microcred init office --gitignore ...   # inside a git repository: adds /office/ to its .gitignore',
    ],
    options: { name: { type: 'string' }, country: { type: 'string' }, region: { type: 'string' }, url: { type: 'string' }, email: { type: 'string' }, 'did-web': { type: 'string' }, 'status-url': { type: 'string' }, 'status-purpose': { type: 'string' }, gitignore: { type: 'boolean' }, 'salt-per-credential': { type: 'boolean' } },
    async run({ values, positionals }, out) {
      const dir = positionals[0] ?? (values.workspace as string | undefined) ?? '.';
      if (!values.name || !values.country) throw new UsageError('init needs --name and --country');
      const purpose = (values['status-purpose'] as string | undefined) ?? 'revocation';
      if (purpose !== 'revocation' && purpose !== 'suspension') throw new UsageError('--status-purpose is revocation or suspension');
      // Before anything is written: a workspace inside a git work tree must be ignored there.
      const gitignore = guardAgainstGit(dir, { writeIgnore: values.gitignore === true });
      if (gitignore) out.error(`Added the workspace to ${gitignore}`);
      const { workspace, didDocument, didDocumentUrl } = await initWorkspace(dir, {
        name: values.name as string,
        country: values.country as string,
        ...(values.region ? { region: values.region as string } : {}),
        ...(values.url ? { url: values.url as string } : {}),
        ...(values.email ? { email: values.email as string } : {}),
        ...(values['did-web'] ? { didWeb: values['did-web'] as string } : {}),
        ...(values['status-url'] ? { statusBaseUrl: values['status-url'] as string } : {}),
        statusPurpose: purpose,
        // Default: one salt per learner, so a learner's stack links without their email (docs/privacy.md).
        ...(values['salt-per-credential'] ? { learnerSalts: 'per-credential' as const } : {}),
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
    examples: [
      'microcred issue -w ~/ut-office --definition examples/rei-programme.yaml --roster autumn.csv --out out/',
      'microcred issue -w ~/ut-office -d programme.yaml --roster excel-export.csv --encoding cp1252',
      'microcred issue -w ~/ut-office -d programme.yaml --learner mari@example.ee --grade A --part "Critical thinking and argumentation"',
    ],
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
          let r;
          try {
            r = await issueRow(workspace, definition, row, options);
          } catch (e) {
            // The awarding rule refused the programme: a verdict about the learner (exit 1), with every reason.
            if (!isMicrocredError(e) || e.code !== 'PROGRAMME_NOT_EARNED') throw e;
            if (out.json) out.data({ error: { code: e.code, message: e.message, reasons: e.problems.map((p) => p.message) } });
            else out.error(`Not issued: ${e.message}`);
            return EXIT.failed;
          }
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
        // A roster that could not be read as a whole (encoding, header, CSV structure) is unusable input.
        return summary.problems.some((p) => p.fatal) ? EXIT.unusable : summary.problems.length ? EXIT.failed : EXIT.ok;
      } finally {
        await workspace.close();
      }
    },
  },

  verify: {
    summary: 'verify credentials (JSON, JWT, PNG or SVG files; "-" for standard input)',
    examples: ['microcred verify out/*.json --status-dir ~/ut-office/status', 'microcred verify badge.png --json', 'cat credential.jwt | microcred verify -', 'microcred verify --stack programme.json part-*.json --status-dir ~/ut-office/status', 'microcred verify transcript.json   # a CLR 2.0 transcript: every credential inside and the stack'],
    usage: 'microcred verify <file|-> [more files…] [--stack [--learner email|DID] [--challenge nonce --domain d]] [--status-dir dir] [--status-optional] [--jwks jwks.json] [--did-document did.json] [--now ISO] [--json]',
    options: { 'status-dir': { type: 'string' }, 'status-optional': { type: 'boolean' }, jwks: { type: 'string' }, now: { type: 'string' }, 'did-document': { type: 'string', multiple: true }, stack: { type: 'boolean' }, learner: { type: 'string' }, challenge: { type: 'string' }, domain: { type: 'string' } },
    async run({ values, positionals }, out) {
      if (positionals.length === 0) throw new UsageError('verify needs a file (or - for standard input)');
      // An unreadable --now would switch every date check off: refuse it.
      if (values.now !== undefined && Number.isNaN(Date.parse(values.now as string))) throw new UsageError(`--now must be a date-time such as 2026-11-29T12:00:00Z, got ${JSON.stringify(values.now)}`);
      const statusDir = values['status-dir'] as string | undefined;
      // Local copies only: a status list is looked up by its last path segment, a DID document by its id.
      const didDocuments = ((values['did-document'] as string[] | undefined) ?? []).map((f) => JSON.parse(fs.readFileSync(f, 'utf8')) as { id?: string });
      const options = {
        ...(values.now ? { now: new Date(values.now as string) } : {}),
        // Without --status-dir a credential with a status entry is NOT VERIFIED (revocation unknown); this accepts that.
        ...(values['status-optional'] ? { statusCheck: 'optional' as const } : {}),
        ...(values.jwks ? { jwks: JSON.parse(fs.readFileSync(values.jwks as string, 'utf8')) as { keys: Record<string, unknown>[] } } : {}),
        ...(statusDir ? { fetchStatusList: async (url: string) => JSON.parse(fs.readFileSync(path.join(statusDir, `${url.split('/').pop()}.json`), 'utf8')) as unknown } : {}),
        ...(didDocuments.length ? { resolveDocument: async (url: string) => { const doc = didDocuments.find((d) => typeof d.id === 'string' && (d.id.startsWith('did:web:') ? didWebUrl(d.id) === url : d.id === url)); if (!doc) throw new MicrocredError('RESOLVER_ERROR', `no local DID document for ${url}`); return doc; } } : {}),
      };
      // A stack (programme and parts, a CLR, a presentation holding a stack): the stack report (src/cli/stack.ts).
      const learner = learnerOption(values.learner as string | undefined);
      if (values.stack) return verifyStackFiles(positionals, { ...options, ...(learner !== undefined ? { learner } : {}), ...(values.challenge ? { challenge: values.challenge as string } : {}), ...(values.domain ? { domain: values.domain as string } : {}) }, out);
      const reports: { file: string; report: VerificationReport }[] = [];
      for (const file of positionals) {
        const input = readVerifiable(file);
        // A CLR 2.0 transcript alone: every credential inside and the stack, not only the transcript's own proof.
        if (positionals.length === 1 && isClrText(input)) return verifyStackFiles(positionals, { ...options, ...(learner !== undefined ? { learner } : {}) }, out, [input]);
        reports.push({ file, report: await verify(input, options) });
      }
      const all = reports.every((r) => r.report.verified);
      if (out.json) out.data(reports.length === 1 ? reports[0]!.report : { verified: all, results: reports.map((r) => ({ file: r.file, verified: r.report.verified, failed: r.report.checks.filter((c) => c.status === 'fail') })) });
      else if (reports.length === 1) out.print(formatReport(reports[0]!.report));
      else {
        for (const r of reports) if (!r.report.verified) out.print(`✗ ${r.file}: ${r.report.checks.filter((c) => c.status === 'fail').map((c) => c.message).join('; ')}`);
        out.print(`${reports.filter((r) => r.report.verified).length} of ${reports.length} verified`);
      }
      // 2 when an input could not be read as a credential at all (not a verdict about a credential).
      return all ? EXIT.ok : reports.some((r) => r.report.checks.some((c) => c.check === 'parse' && c.status === 'fail')) ? EXIT.unusable : EXIT.failed;
    },
  },

  'verify-presentation': verifyPresentationCommand,
  transcript: transcriptCommand,

  validate: {
    summary: 'check credentials (JSON, JWT, PNG, SVG) or definition files (YAML, JSON) against the schemas, listing every problem (no signature check)',
    usage: 'microcred validate <credential.json|.jwt|.png|.svg | definition.yaml> [more files…] [--json]',
    examples: ['microcred validate examples/rei-programme.yaml', 'microcred validate out/*.json badge.png credential.jwt --json'],
    options: {},
    async run({ positionals }, out) {
      if (positionals.length === 0) throw new UsageError('validate needs a file');
      const results: ValidationResult[] = [];
      for (const file of positionals) results.push(await validateFile(file));
      if (out.json) out.data(results.length === 1 ? results[0] : { valid: results.every((r) => r.valid), results });
      else
        for (const r of results) {
          if (r.valid) out.print(`${r.file}: valid ${r.kind === 'definition' ? 'micro-credential definition' : `credential (${r.schema} schema)`}`);
          else {
            out.print(`${r.file}: ${r.problems.length} problem${r.problems.length === 1 ? '' : 's'}`);
            for (const p of r.problems) out.print(`  ${p.path}: ${p.message}`);
          }
        }
      return results.some((r) => r.unusable) ? EXIT.unusable : results.every((r) => r.valid) ? EXIT.ok : EXIT.failed;
    },
  },

  list: {
    summary: 'list issued credentials (oldest first), filtered by learner, achievement, date, status',
    usage: 'microcred list -w <workspace> [--learner <email|student id|national id|DID>] [--achievement <id or its last segment>] [--from YYYY-MM-DD] [--until YYYY-MM-DD] [--status active|revoked|suspended] [--limit N] [--json]',
    examples: ['microcred list -w ~/ut-office --status revoked', 'microcred list -w ~/ut-office --achievement critical-thinking --from 2026-09-01 --until 2026-12-31', 'microcred find -w ~/ut-office --learner mari@example.ee'],
    options: listOptions(),
    run: (args, out) => listCommand(args, out, false),
  },

  find: {
    summary: 'find credentials by learner, achievement, date or status (like list, but needs at least one filter)',
    usage: 'microcred find -w <workspace> --learner <email|student id|national id|DID> [--achievement …] [--from …] [--until …] [--status …] [--json]',
    examples: ['microcred find -w ~/ut-office --learner mari@example.ee', 'microcred find -w ~/ut-office --learner S-001 --achievement critical-thinking'],
    options: listOptions(),
    run: (args, out) => listCommand(args, out, true),
  },

  revoke: statusCommand('revocation', true, 'revoke a credential (final)'),
  suspend: statusCommand('suspension', true, 'suspend a credential'),
  reinstate: statusCommand('suspension', false, 'lift a suspension'),

  status: {
    summary: 'status publish: write the signed status list credentials to host; status lists: show them; status new-list: start the next list now',
    usage: 'microcred status publish|lists|new-list -w <workspace> [--out dir]',
    examples: ['microcred status publish -w ~/ut-office', 'microcred status lists -w ~/ut-office', 'microcred status new-list -w ~/ut-office'],
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
    examples: ['microcred bake badge.png out/critical-thinking--….json --out mari-badge.png', 'microcred bake baked.svg new.json --out rebaked.svg --replace'],
    options: { out: { type: 'string', short: 'o' }, replace: { type: 'boolean' } },
    async run({ values, positionals }, out) {
      const [image, credFile] = positionals;
      if (!image || !credFile || !values.out) throw new UsageError('bake needs an image, a credential and --out');
      const text = fs.readFileSync(credFile, 'utf8').trim();
      const credential = text.startsWith('{') ? (JSON.parse(text) as object) : text;
      const replace = values.replace === true;
      let baked: string | Uint8Array;
      try {
        baked = image.toLowerCase().endsWith('.svg') ? bake(fs.readFileSync(image, 'utf8'), credential, { replace }) : bake(new Uint8Array(fs.readFileSync(image)), credential, { replace });
      } catch (e) {
        // The library speaks to programmers ({ replace: true }); a CLI user needs the flag.
        if (isMicrocredError(e) && e.message.includes('{ replace: true }')) throw new MicrocredError(e.code, e.message.replace('pass { replace: true }', 'add --replace'), { cause: e });
        throw e;
      }
      fs.writeFileSync(values.out as string, baked);
      if (out.json) out.data({ file: values.out });
      else out.print(`Wrote ${values.out as string}`);
      return 0;
    },
  },

  unbake: {
    summary: 'extract the credential baked into a PNG or SVG badge',
    usage: 'microcred unbake <image.png|svg> [--out file]',
    examples: ['microcred unbake badge.png --out credential.json'],
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
    examples: ['microcred keys show -w ~/ut-office', 'microcred keys did-document -w ~/ut-office > did.json'],
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
  const verb = purpose === 'revocation' ? 'revoke' : value ? 'suspend' : 'reinstate';
  return {
    summary,
    usage: `microcred ${verb} (<credential-id> | --learner <email|student id|…> --achievement <id or last segment>) --reason "…" -w <workspace> [--actor name]`,
    examples: [
      `microcred ${verb} urn:uuid:… --reason "Grade annulled by the examination board, decision 2026/14" -w ~/ut-office`,
      `microcred ${verb} --learner mari@example.ee --achievement critical-thinking --reason "…" -w ~/ut-office`,
    ],
    options: { reason: { type: 'string' }, actor: { type: 'string' }, learner: { type: 'string' }, achievement: { type: 'string' } },
    async run({ values, positionals }, out) {
      let id = positionals[0];
      if (!id === !values.learner) throw new UsageError('give the credential id, or --learner with --achievement (not both)');
      if (values.learner && !values.achievement) throw new UsageError('--learner needs --achievement too: a learner may hold several credentials');
      if (!values.reason) throw new UsageError('give --reason; it is kept in the register');
      const workspace = await openWorkspace((values.workspace as string | undefined) ?? '.');
      try {
        if (workspace.config.statusPurpose !== purpose) {
          throw new MicrocredError('STATUS_ERROR', `This workspace's credentials carry a ${workspace.config.statusPurpose} entry, so they cannot be ${purpose === 'revocation' ? 'revoked' : 'suspended'} (choose --status-purpose at init)`);
        }
        if (!id) {
          const found = await findIssued(workspace, { learner: values.learner as string, achievement: values.achievement as string });
          if (found.length === 0) throw new MicrocredError('INVALID_INPUT', `No credential in the register for learner ${JSON.stringify(values.learner)} and achievement ${JSON.stringify(values.achievement)}`);
          if (found.length > 1) {
            throw new MicrocredError('INVALID_INPUT', `${found.length} credentials match; give the credential id of the one to ${verb}:\n${found.map((r) => `  ${describeRecord(r)}`).join('\n')}`);
          }
          id = found[0]!.credentialId;
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

function listOptions(): NonNullable<ParseArgsConfig['options']> {
  return { learner: { type: 'string' }, achievement: { type: 'string' }, from: { type: 'string' }, until: { type: 'string' }, status: { type: 'string' }, limit: { type: 'string' } };
}

async function listCommand({ values }: { values: Record<string, unknown> }, out: Output, needFilter: boolean): Promise<number> {
  const filters = { learner: values.learner as string | undefined, achievement: values.achievement as string | undefined, from: values.from as string | undefined, until: values.until as string | undefined, status: values.status as string | undefined };
  if (needFilter && Object.values(filters).every((v) => v === undefined)) throw new UsageError('find needs --learner, --achievement, --from, --until or --status');
  if (filters.status !== undefined && !['active', 'revoked', 'suspended'].includes(filters.status)) throw new UsageError('--status is active, revoked or suspended');
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 1)) throw new UsageError('--limit is a positive whole number');
  const workspace = await openWorkspace((values.workspace as string | undefined) ?? '.');
  try {
    let records = await findIssued(workspace, filters);
    if (limit !== undefined) records = records.slice(0, limit);
    if (out.json) out.data(records);
    else {
      for (const r of records) out.print(describeRecord(r));
      out.print(`${records.length} credential${records.length === 1 ? '' : 's'}`);
    }
    return EXIT.ok;
  } finally {
    await workspace.close();
  }
}

/** The register's records matching a learner (typed again, turned into the keyed reference), achievement, dates and status. */
async function findIssued(workspace: Workspace, f: { learner?: string | undefined; achievement?: string | undefined; from?: string | undefined; until?: string | undefined; status?: string | undefined }): Promise<IssuanceRecord[]> {
  const base: IssuedFilter = {
    ...(f.from ? { issuedFrom: f.from } : {}),
    ...(f.until ? { issuedUntil: f.until } : {}),
    ...(f.status ? { status: f.status as 'active' | 'revoked' | 'suspended' } : {}),
    ...(f.achievement?.includes(':') ? { achievementId: f.achievement } : {}),
  };
  let records: IssuanceRecord[];
  if (f.learner) {
    records = [];
    for (const identity of identitiesFor(f.learner)) records.push(...(await workspace.register.listIssued({ ...base, learnerRef: workspace.learnerRef(identity) })));
  } else records = await workspace.register.listIssued(base);
  // An achievement given by its last path segment ("critical-thinking") matches ids ending in it.
  if (f.achievement && !f.achievement.includes(':')) records = records.filter((r) => r.achievementId.endsWith(`/${f.achievement}`) || r.achievementId.endsWith(`#${f.achievement}`));
  return records;
}

/** One line per credential: never the learner's identifier, only the masked label. */
function describeRecord(r: IssuanceRecord): string {
  const status = r.status.revoked ? 'REVOKED' : r.status.suspended ? 'SUSPENDED' : 'active';
  return `${r.credentialId}  ${r.issuedAt?.slice(0, 10) ?? 'reserved'}  ${status.padEnd(9)}  ${r.learnerLabel ?? r.learnerRef}  ${r.achievementId.split('/').pop()}${r.file ? `  ${r.file}` : ''}`;
}

interface ValidationResult {
  file: string;
  valid: boolean;
  kind: 'credential' | 'definition' | 'unreadable';
  schema?: string;
  problems: { code?: string; path: string; message: string }[];
  /** The file could not be read as a credential or definition at all (exit 2). */
  unusable?: boolean;
}

/** Validates one file of any kind the verifier reads, or a definition file; collects every problem. */
async function validateFile(file: string): Promise<ValidationResult> {
  const bytes = file === '-' ? fs.readFileSync(0) : fs.readFileSync(file);
  const isImage = /\.(png|svg)$/i.test(file) || bytes.subarray(0, 4).toString('latin1') === '\x89PNG';
  const text = isImage ? '' : bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (/\.ya?ml$/i.test(file) || (!isImage && /^\s*\{/.test(text) && /"(microCredential|programme)"\s*:/.test(text.slice(0, 200_000)) && !/"credentialSubject"/.test(text))) {
    let data: unknown;
    try {
      data = /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
    } catch (e) {
      return { file, valid: false, kind: 'unreadable', unusable: true, problems: [{ code: 'INVALID_INPUT', path: '$', message: `not valid ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'}: ${(e as Error).message}` }] };
    }
    return validateDefinition(file, data);
  }
  let credential: Record<string, unknown>;
  try {
    const parsed = await parseInput(isImage ? new Uint8Array(bytes) : text.trim(), unbakeForVerify);
    credential = parsed.credential as Record<string, unknown>;
  } catch (e) {
    return { file, valid: false, kind: 'unreadable', unusable: true, problems: [{ code: (e as MicrocredError).code ?? 'INVALID_INPUT', path: (e as MicrocredError).path ?? '$', message: (e as Error).message }] };
  }
  if ('microCredential' in credential || 'programme' in credential) return validateDefinition(file, credential);
  const result = validate(credential, { lenient: true });
  const conformance = checkConformance(credential);
  const problems = [...result.errors, ...conformance.errors];
  return { file, valid: problems.length === 0, kind: 'credential', schema: result.schema, problems };
}

/** Every problem of a definition file; a missing issuer is fine (the workspace's issuer is used when issuing). */
function validateDefinition(file: string, data: unknown): ValidationResult {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { file, valid: false, kind: 'definition', problems: [{ code: 'INVALID_INPUT', path: '$', message: 'a definition file is a mapping with microCredential or programme' }] };
  const d = data as Record<string, unknown>;
  const withIssuer = d.issuer === undefined ? { ...d, issuer: { id: 'https://issuer.invalid/', name: 'The workspace issuer', country: 'EE' } } : d;
  try {
    definitionFromData(withIssuer);
    return { file, valid: true, kind: 'definition', problems: [] };
  } catch (e) {
    if (!isMicrocredError(e)) throw e;
    const problems = e.problems.length ? e.problems.map((p) => ({ code: p.code, path: p.path, message: p.message })) : [{ code: e.code, path: e.path ?? '$', message: e.message }];
    return { file, valid: false, kind: 'definition', problems };
  }
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
  return [
    `microcred ${version()} — issue and verify EU micro-credentials as Open Badges 3.0`,
    '',
    ...Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(10)} ${c.summary}`),
    '',
    'microcred <command> --help for details and examples; --json for machine-readable output; --version.',
    'Exit codes: 0 done/verified/valid, 1 not verified/not valid/some rows failed, 2 unusable input or usage, 3 internal error.',
    'Full reference: docs/cli.md',
  ].join('\n');
}

function commandHelp(name: string, c: Command): string {
  return [`microcred ${name}: ${c.summary}`, '', `usage: ${c.usage}`, '', 'examples:', ...c.examples.map((e) => `  ${e}`), '', 'common options: -w/--workspace <dir>, --json, -h/--help'].join('\n');
}

let cachedVersion: string | undefined;
/** The package version, read from the package.json above this module (sources, dist/ and node_modules alike). */
export function version(): string {
  if (cachedVersion) return cachedVersion;
  try {
    let dir = path.dirname(fileURLToPath(import.meta.url));
    for (let i = 0; i < 4; i++, dir = path.dirname(dir)) {
      const file = path.join(dir, 'package.json');
      if (fs.existsSync(file)) {
        const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
        if (pkg.name === 'microcredentials' && pkg.version) return (cachedVersion = pkg.version);
      }
    }
  } catch {
    // fall through
  }
  return 'unknown';
}

/** Node's file errors in plain words (no stack trace): the path and what is wrong with it. */
function fileErrorMessage(e: NodeJS.ErrnoException): string | undefined {
  const where = e.path ? ` ${e.path}` : '';
  switch (e.code) {
    case 'ENOENT': return `No such file or folder:${where}`;
    case 'EACCES': case 'EPERM': return `Permission denied:${where}`;
    case 'EISDIR': return `Expected a file but found a folder:${where}`;
    case 'ENOTDIR': return `A part of the path is not a folder:${where}`;
    case 'EEXIST': return `Already exists:${where}`;
    case 'ENOSPC': return `The disk is full${where ? ` (writing${where})` : ''}`;
    case 'EROFS': return `Read-only file system:${where}`;
    default: return undefined;
  }
}

/** Runs the `microcred` command with `argv` (without node and script), writing to `io`; resolves to the exit code (0 done, 1 not verified or rows failed, 2 unusable input, 3 internal error). */
export async function main(argv: string[], io: { stdout: (s: string) => void; stderr: (s: string) => void } = { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) }): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V' || name === 'version') {
    io.stdout(`${version()}\n`);
    return EXIT.ok;
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    const about = rest[0] && COMMANDS[rest[0]];
    io.stdout((about ? commandHelp(rest[0]!, about) : help()) + '\n');
    return name ? EXIT.ok : EXIT.unusable;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    io.stderr(`${safeOutput(`Unknown command "${name}".`)}\n${help()}\n`);
    return EXIT.unusable;
  }
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: rest, options: { ...common, ...command.options }, allowPositionals: true, strict: true }) as typeof parsed;
  } catch (e) {
    io.stderr(`${safeOutput((e as Error).message)}\nusage: ${command.usage}\n`);
    return EXIT.unusable;
  }
  if (parsed.values.help) {
    io.stdout(commandHelp(name, command) + '\n');
    return EXIT.ok;
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
      io.stderr(`${safeOutput(e.message)}\nusage: ${command.usage}\n`);
      return EXIT.unusable;
    }
    const fileError = typeof (e as NodeJS.ErrnoException)?.code === 'string' && !isMicrocredError(e) ? fileErrorMessage(e as NodeJS.ErrnoException) : undefined;
    if (isMicrocredError(e) || fileError || e instanceof SyntaxError) {
      const err = e as Error & { code?: string };
      const message = fileError ?? (e instanceof SyntaxError ? `Not valid JSON: ${err.message}` : err.message);
      if (out.json) out.data({ error: { code: isMicrocredError(e) ? err.code : 'INVALID_INPUT', message } });
      else out.error(message);
      return EXIT.unusable;
    }
    // Not expected: a bug. One plain line; the stack trace only on request.
    out.error(`Internal error: ${(e as Error)?.message ?? String(e)}${process.env.MICROCRED_DEBUG ? `\n${(e as Error)?.stack ?? ''}` : ' (run again with MICROCRED_DEBUG=1 for details, and report it)'}`);
    return EXIT.internal;
  }
}

export type { VerificationReport };
