import { didWebDocument, exportJwks, jwtKeyFromEd25519 } from '../../index';
import { openWorkspace } from '../../node/index';
import { type Command, UsageError, workspaceDir } from '../command';

/** `microcred keys show|did-document|jwks`: the workspace key as verifiers need it. */
export const keys: Command = {
  summary: 'keys show | did-document | jwks: the workspace key, its DID document, its JWKS',
  usage: 'microcred keys show|did-document|jwks -w <workspace>',
  examples: ['microcred keys show -w ~/ut-office', 'microcred keys did-document -w ~/ut-office > did.json'],
  options: {},
  async run({ values, positionals }, out) {
    const workspace = await openWorkspace(workspaceDir(values));
    try {
      const { key, config } = workspace;
      const what = positionals[0] ?? 'show';
      let data: unknown;
      if (what === 'show')
        data = { issuer: config.did, verificationMethod: key.id, publicKeyMultibase: key.publicKeyMultibase };
      else if (what === 'did-document')
        data = config.did.startsWith('did:web:')
          ? didWebDocument(key, config.did)
          : { note: 'did:key documents are derived from the key itself; nothing to host', did: config.did };
      else if (what === 'jwks') data = exportJwks([await jwtKeyFromEd25519(key)]);
      else throw new UsageError('keys show | did-document | jwks');
      out.data(data);
      return 0;
    } finally {
      await workspace.close();
    }
  },
};
