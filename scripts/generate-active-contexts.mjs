// jsonld.js's processed ("active") context for the @context lists our builders emit, and the encoding that stores
// active contexts as JSON. scripts/generate-derived-contexts.ts writes them, with the scoped contexts our credentials
// reach, to src/jsonld/fast/derived-contexts.generated.ts, so that the first credential a process signs or verifies
// does not wait ~20 ms for jsonld.js to process the VC and OB contexts (it validates every scoped context of the OB
// context on the way). Any other list is processed at run time; test/active-contexts.test.ts proves each restored
// context deep-equals what jsonld.js computes now.
import { createRequire } from 'node:module';
import { collectContexts } from './generate.mjs';

const require = createRequire(import.meta.url);

const VC2 = 'https://www.w3.org/ns/credentials/v2';
const OB303 = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
const OB_EXTENSIONS = 'https://purl.imsglobal.org/spec/ob/v3p0/extensions.json';
const MC = 'https://w3id.org/microcredentials/v1';

/** The @context lists `award` emits (src/builders/award.ts), without and with the OB extensions context. */
export const SNAPSHOT_LISTS = [
  [VC2, OB303, MC],
  [VC2, OB303, OB_EXTENSIONS, MC],
];

/**
 * JSON with the three things an active context holds that JSON does not: Maps (the term mappings), undefined
 * values (kept as own properties, which jsonld.js tests with `in`) and functions (jsonld.js's methods, which restoring
 * takes from a fresh initial context instead, so they are dropped here).
 */
export function encode(value) {
  if (value === undefined) return { $undefined: true };
  if (value instanceof Map) return { $map: [...value].map(([k, v]) => [k, encode(v)]) };
  if (Array.isArray(value)) return value.map(encode);
  if (value !== null && typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) if (typeof v !== 'function') out[k] = encode(v);
    return out;
  }
  return value;
}

/** jsonld.js's processing of each list, with the options the fast path uses (src/jsonld/fast/compiled-context.ts). */
export async function processLists(lists = SNAPSHOT_LISTS, contexts = collectContexts()) {
  const contextApi = require('jsonld/lib/context.js');
  const ContextResolver = require('jsonld/lib/ContextResolver.js');
  const out = {};
  for (const urls of lists) {
    const options = {
      base: null,
      contextResolver: new ContextResolver({ sharedCache: new Map() }),
      eventHandler: [
        ({ event, next }) => {
          if (event.level === 'warning') throw new Error(`context processing warned: ${event.code}`);
          next();
        },
      ],
      documentLoader: async (url) => ({ contextUrl: null, documentUrl: url, document: contexts[url] }),
    };
    out[urls.join('\n')] = await contextApi.process({
      activeCtx: contextApi.getInitialContext(options),
      localCtx: [...urls],
      options,
    });
  }
  return out;
}
