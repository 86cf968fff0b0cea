import { createServiceToken, listServiceTokens, revokeServiceToken } from '../../server/index';
import { openWorkspace, type Workspace } from '../../node/index';
import { type Command, nextCommand, type Output, UsageError, workspaceDir } from '../command';

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
    const [what, id] = positionals;
    if (what !== 'create' && what !== 'list' && what !== 'revoke')
      throw new UsageError('usage: microcred token create|list|revoke');
    if (what === 'revoke' && !id)
      throw new UsageError(
        `token revoke needs the token id (see ${nextCommand('token list', values.workspace as string | undefined)})`,
      );
    // Tokens live in the register, so every server using it accepts a new token and refuses a revoked one.
    const workspace = await openWorkspace(workspaceDir(values));
    try {
      return await tokenCommand(what, id, values, workspace, out);
    } finally {
      await workspace.close();
    }
  },
};

async function tokenCommand(
  what: 'create' | 'list' | 'revoke',
  id: string | undefined,
  values: Record<string, unknown>,
  workspace: Workspace,
  out: Output,
): Promise<number> {
  if (what === 'create') {
    const created = await createServiceToken(workspace, { ...(values.label ? { label: values.label as string } : {}) });
    if (out.json) out.data(created);
    else {
      out.print(created.token);
      out.error(
        `Token ${created.id} created. It is shown only this once: give it to the system that calls the service (header "Authorization: Bearer …"). Revoke it with ${nextCommand(`token revoke ${created.id}`, values.workspace as string | undefined)}.`,
      );
    }
    return 0;
  }
  if (what === 'list') {
    const tokens = await listServiceTokens(workspace);
    if (out.json) out.data(tokens);
    else if (tokens.length === 0)
      out.print(`No tokens yet (${nextCommand('token create', values.workspace as string | undefined)}).`);
    else
      for (const t of tokens)
        out.print(
          `${t.id}  ${t.revokedAt ? `revoked ${t.revokedAt.slice(0, 10)}` : 'active'.padEnd(18)}  created ${t.createdAt.slice(0, 10)}${t.label ? `  ${t.label}` : ''}`,
        );
    return 0;
  }
  const revoked = await revokeServiceToken(workspace, id!);
  if (out.json) out.data(revoked);
  else out.print(`Token ${revoked.id} revoked; every running service refuses it from its next request.`);
  return 0;
}
