import { definitionFromData, type LoadedDefinition } from '../builders/from-data';
import type { IssuerInput } from '../builders/inputs';
import type { Profile } from '../model/ob';
import type { Workspace } from './workspace';

/** The issuer input of a workspace's profile, for the builders: its DID, name, country, region, url, email. */
export function issuerInputOf(profile: Profile): IssuerInput {
  const p = profile as unknown as { id: string; name?: string; address?: { addressCountryCode?: string; addressRegion?: string }; url?: string; email?: string };
  // The country was checked against the ISO list when the workspace was made; the cast moves no check.
  return { id: p.id, name: p.name ?? '', country: (p.address?.addressCountryCode ?? '') as IssuerInput['country'], ...(p.address?.addressRegion ? { region: p.address.addressRegion } : {}), ...(p.url ? { url: p.url } : {}), ...(p.email ? { email: p.email } : {}) };
}

/** Loads a definition file's data (parsed YAML or JSON) for this workspace: the workspace's issuer (with its DID) always wins over one the file names. */
export function workspaceDefinition(workspace: Workspace, data: unknown): LoadedDefinition {
  return definitionFromData({ ...(data as object), issuer: issuerInputOf(workspace.config.issuer) });
}
