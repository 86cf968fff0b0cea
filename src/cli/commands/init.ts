import path from 'node:path';
import { guardAgainstGit, initWorkspace } from '../../node/index';
import { type Command, UsageError } from '../command';

/** `microcred init`: a new issuer workspace. */
export const init: Command = {
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
};
