import { MicrocredError } from '../index';
import { findIssued, openWorkspace, revokeCredential, suspendCredential, type Workspace } from '../node/index';
import { type Command, nextCommand, UsageError, workspaceDir } from './command';
import { describeRecord } from './records';

/** Whose credential an id is, in the register's words: a registrar confirms they changed the one they meant. */
async function whoseCredential(workspace: Workspace, id: string): Promise<string> {
  const record = await workspace.register.findByCredentialId(id);
  if (!record) return '  (not in the register)';
  const issued = record.issuedAt ? `, issued ${record.issuedAt.slice(0, 10)}` : '';
  return `  the credential of ${record.learnerLabel ?? record.learnerRef} for ${record.achievementId.split('/').pop()}${issued}`;
}

/** `revoke`, `suspend` and `reinstate`: one status bit of one credential set or lifted in the register, with the reason. */
export function setStatusCommand(purpose: 'revocation' | 'suspension', value: boolean, summary: string): Command {
  const verb = purpose === 'revocation' ? 'revoke' : value ? 'suspend' : 'reinstate';
  return {
    summary,
    usage: `microcred ${verb} (<credential-id> | --learner <email|student id|…> --achievement <id or last segment>) --reason "…" -w <workspace> [--actor name]`,
    examples: [
      `microcred ${verb} urn:uuid:… --reason "Grade annulled by the examination board, decision 2026/14" -w ~/ut-office`,
      `microcred ${verb} --learner mari@example.ee --achievement critical-thinking --reason "…" -w ~/ut-office`,
    ],
    options: {
      reason: { type: 'string' },
      actor: { type: 'string' },
      learner: { type: 'string' },
      achievement: { type: 'string' },
    },
    async run({ values, positionals }, out) {
      let id = positionals[0];
      if (!id === !values.learner)
        throw new UsageError('give the credential id, or --learner with --achievement (not both)');
      if (values.learner && !values.achievement)
        throw new UsageError('--learner needs --achievement too: a learner may hold several credentials');
      if (!values.reason) throw new UsageError('give --reason; it is kept in the register');
      const workspace = await openWorkspace(workspaceDir(values));
      try {
        if (workspace.config.statusPurpose !== purpose) {
          throw new MicrocredError(
            'STATUS_ERROR',
            `This workspace's credentials carry a ${workspace.config.statusPurpose} entry, so they cannot be ${purpose === 'revocation' ? 'revoked' : 'suspended'} (choose --status-purpose at init)`,
          );
        }
        if (!id) {
          const found = await findIssued(workspace, {
            learner: values.learner as string,
            achievement: values.achievement as string,
          });
          if (found.length === 0)
            throw new MicrocredError(
              'INVALID_INPUT',
              `No credential in the register for learner ${JSON.stringify(values.learner)} and achievement ${JSON.stringify(values.achievement)}`,
            );
          if (found.length > 1) {
            throw new MicrocredError(
              'INVALID_INPUT',
              `${found.length} credentials match; give the credential id of the one to ${verb}:\n${found.map((r) => `  ${describeRecord(r)}`).join('\n')}`,
            );
          }
          id = found[0]!.credentialId;
        }
        if (purpose === 'revocation') {
          // A programme stands on its parts: revoking a part revokes the programme credentials awarded on it.
          const revoked = await revokeCredential(workspace, {
            credentialId: id,
            reason: values.reason as string,
            ...(values.actor ? { actor: values.actor as string } : {}),
          });
          if (out.json) {
            out.data({ ...revoked.result, programmes: revoked.programmes, unchecked: revoked.unchecked });
            return 0;
          }
          const { result } = revoked;
          if (!result.recorded)
            out.print(
              `${id}: revocation was already set${result.change ? ` (${result.change.at}: ${result.change.reason})` : ''}; nothing recorded`,
            );
          else out.print(`${id}: revoked (${result.change!.reason})`);
          out.print(await whoseCredential(workspace, id));
          for (const p of revoked.programmes)
            out.print(
              `  and the programme credential ${p.credentialId} (${p.achievementId.split('/').pop()}) awarded on it: ${p.result.recorded ? 'revoked' : 'already revoked'}`,
            );
          for (const u of revoked.unchecked)
            out.print(
              `  could not check ${u.credentialId} (${u.achievementId.split('/').pop()}): ${u.why}; if it is a programme awarded on this credential, revoke it too`,
            );
          out.print(`Run ${nextCommand('status publish', values.workspace as string | undefined)} to publish it`);
          return 0;
        }
        // A programme stands on its parts: suspending a part suspends the programme credentials awarded on it, and
        // reinstating it lifts theirs unless they were suspended in their own right or another part still is.
        const changed = await suspendCredential(workspace, {
          credentialId: id,
          value,
          reason: values.reason as string,
          ...(values.actor ? { actor: values.actor as string } : {}),
        });
        const { result } = changed;
        if (out.json) {
          out.data({
            ...result,
            programmes: changed.programmes,
            keptSuspended: changed.keptSuspended,
            unchecked: changed.unchecked,
          });
          return 0;
        }
        if (!result.recorded)
          out.print(
            `${id}: ${purpose} was already ${value ? 'set' : 'lifted'}${result.change ? ` (${result.change.at}: ${result.change.reason})` : ''}; nothing recorded`,
          );
        else out.print(`${id}: ${purpose} ${value ? 'set' : 'lifted'} (${result.change!.reason})`);
        out.print(await whoseCredential(workspace, id));
        for (const p of changed.programmes)
          out.print(
            `  and the programme credential ${p.credentialId} (${p.achievementId.split('/').pop()}) awarded on it: ${value ? 'suspended' : 'reinstated'}${p.result.recorded ? '' : ' already'}`,
          );
        for (const k of changed.keptSuspended)
          out.print(
            `  the programme credential ${k.credentialId} (${k.achievementId.split('/').pop()}) stays suspended: ${k.why}`,
          );
        for (const u of changed.unchecked)
          out.print(
            `  could not check ${u.credentialId} (${u.achievementId.split('/').pop()}): ${u.why}; if it is a programme awarded on this credential, ${value ? 'suspend' : 'reinstate'} it too`,
          );
        out.print(`Run ${nextCommand('status publish', values.workspace as string | undefined)} to publish it`);
        return 0;
      } finally {
        await workspace.close();
      }
    },
  };
}
