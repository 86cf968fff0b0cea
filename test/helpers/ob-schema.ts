import Ajv2019 from 'ajv/dist/2019';
import addFormats from 'ajv-formats';
import { readFixtureJson } from './fixtures';

/** 1EdTech's published AchievementCredential schema (draft 2019-09), compiled as research-ob3.md §2.2 advises. */
export function load1EdTechCredentialSchema(): (doc: unknown) => { valid: boolean; errors: string[] } {
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  addFormats(ajv);
  const schema = readFixtureJson<Record<string, unknown>>('ob3', 'schemas', 'gh-pages_achievementcredential.json');
  const validate = ajv.compile(schema);
  return (doc: unknown) => {
    const valid = validate(doc) as boolean;
    return { valid, errors: (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`) };
  };
}
