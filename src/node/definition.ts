import { definitionFromData, type LoadedDefinition } from '../builders/from-data';
import { issuerForDefinition } from './issuer-details';
import type { Workspace } from './workspace';

/**
 * Loads a definition file's data (parsed YAML or JSON) for this workspace, as `microcred issue` does: the workspace's
 * issuer (its DID, name and country) always signs, completed with the details the definition gives for it (see
 * `issuerForDefinition`); `notes` says, in plain words, what of the definition's issuer was not used.
 */
export function workspaceDefinition(workspace: Workspace, data: unknown): LoadedDefinition & { notes: string[] } {
  const { issuer, conflicts, otherIssuer } = issuerForDefinition(
    workspace.config.issuer,
    (data as { issuer?: unknown } | null)?.issuer,
  );
  const loaded = definitionFromData({ ...(data as object), issuer });
  return { ...loaded, notes: [...(otherIssuer ? [otherIssuer] : []), ...conflicts.map((c) => `issuer ${c}`)] };
}
