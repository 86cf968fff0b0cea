import { openWorkspace, publishStatusLists, publishTokenStatusLists, STATUS_LIST_SIZE } from '../../node/index';
import { type Command, count, nextCommand, UsageError, workspaceDir } from '../command';

/** `microcred status publish|lists|new-list`: the workspace's status lists. */
export const status: Command = {
  summary:
    'status publish: write the signed status list credentials (and the Token Status Lists of SD-JWT VCs) to host; status lists: show them; status new-list: start the next list now',
  usage: 'microcred status publish|lists|new-list -w <workspace> [--out dir] [--valid-for hours] [--force]',
  examples: [
    'microcred status publish -w ~/ut-office',
    'microcred status publish -w ~/ut-office --valid-for 24',
    'microcred status lists -w ~/ut-office',
    'microcred status new-list -w ~/ut-office',
  ],
  options: { out: { type: 'string', short: 'o' }, 'valid-for': { type: 'string' }, force: { type: 'boolean' } },
  async run({ values, positionals }, out) {
    const what = positionals[0];
    if (what !== 'publish' && what !== 'lists' && what !== 'new-list')
      throw new UsageError('usage: microcred status publish|lists|new-list');
    const validForHours = values['valid-for'] === undefined ? undefined : Number(values['valid-for']);
    if (validForHours !== undefined && !(Number.isFinite(validForHours) && validForHours * 60 >= 1))
      throw new UsageError(
        `--valid-for is a number of hours (at least 1/60), got ${JSON.stringify(values['valid-for'])}`,
      );
    const workspace = await openWorkspace(workspaceDir(values));
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
        const list = await workspace.register.ensureStatusList({
          id,
          purpose: workspace.config.statusPurpose,
          size: lists[lists.length - 1]?.size ?? STATUS_LIST_SIZE,
        });
        if (out.json) out.data(list);
        else
          out.print(
            `New status list ${list.id}: new credentials take their index from it once the current list is full; publish it with ${nextCommand('status publish', values.workspace as string | undefined)}`,
          );
        return 0;
      }
      const outDir = values.out ? { outDir: values.out as string } : {};
      const published = await publishStatusLists(workspace, {
        ...outDir,
        ...(validForHours !== undefined ? { validForSeconds: Math.round(validForHours * 3600) } : {}),
        ...(values.force === true ? { force: true } : {}),
      });
      // The same statuses for SD-JWT VCs (IETF Token Status List), written after the bitstring lists they mirror.
      const tokens = await publishTokenStatusLists(workspace, {
        ...outDir,
        ...(values.force === true ? { force: true } : {}),
      });
      if (out.json)
        out.data(
          published.length === 1
            ? { file: published[0]!.file, hostAt: published[0]!.hostAt, lists: published, tokenLists: tokens }
            : { lists: published, tokenLists: tokens },
        );
      else {
        const marked = workspace.config.statusPurpose === 'suspension' ? 'suspended' : 'revoked';
        for (const p of published)
          out.print(
            `Wrote ${p.file} (${count(p.set, 'credential')} ${marked} in it, checked after writing, valid until ${p.validUntil}: publish again before then); host it at ${p.hostAt}`,
          );
        for (const t of tokens)
          out.print(
            `Wrote ${t.file} for SD-JWT VCs (${count(t.set, 'credential')} ${marked} in it, valid for a day: publish daily); host it at ${t.hostAt}`,
          );
      }
      return 0;
    } finally {
      await workspace.close();
    }
  },
};
