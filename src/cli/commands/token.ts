import { createServiceToken, listServiceTokens, revokeServiceToken } from '../../server/index';
import { type Command, UsageError, workspaceDir } from '../command';

/** `microcred token create|list|revoke`: the bearer tokens of the service's issuing, status and offer endpoints. */
export const token: Command = {
  summary: 'token create: a bearer token for the service (printed once, stored hashed); token list; token revoke <id>',
  usage: 'microcred token create|list|revoke [id] -w <workspace> [--label "student information system"]',
  examples: [
    'microcred token create -w ~/ut-office --label "student information system"',
    'microcred token list -w ~/ut-office',
    'microcred token revoke 3f9a0c1d2e4b -w ~/ut-office',
  ],
  options: { label: { type: 'string' } },
  async run({ values, positionals }, out) {
    const dir = workspaceDir(values);
    const [what, id] = positionals;
    if (what === 'create') {
      const created = createServiceToken(dir, { ...(values.label ? { label: values.label as string } : {}) });
      if (out.json) out.data(created);
      else {
        out.print(created.token);
        out.error(
          `Token ${created.id} created. It is shown only this once: give it to the system that calls the service (header "Authorization: Bearer …"). Revoke it with "microcred token revoke ${created.id}".`,
        );
      }
      return 0;
    }
    if (what === 'list') {
      const tokens = listServiceTokens(dir);
      if (out.json) out.data(tokens);
      else if (tokens.length === 0) out.print('No tokens yet ("microcred token create").');
      else
        for (const t of tokens)
          out.print(
            `${t.id}  ${t.revokedAt ? `revoked ${t.revokedAt.slice(0, 10)}` : 'active'.padEnd(18)}  created ${t.createdAt.slice(0, 10)}${t.label ? `  ${t.label}` : ''}`,
          );
      return 0;
    }
    if (what === 'revoke') {
      if (!id) throw new UsageError('token revoke needs the token id (see "microcred token list")');
      const revoked = revokeServiceToken(dir, id);
      if (out.json) out.data(revoked);
      else out.print(`Token ${revoked.id} revoked; a running service refuses it from its next request.`);
      return 0;
    }
    throw new UsageError('usage: microcred token create|list|revoke');
  },
};
