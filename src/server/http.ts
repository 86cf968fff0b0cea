import type { Context } from 'hono';
import { findDuplicateKey, isMicrocredError, type ErrorCode, type Problem } from '../index';

/** The body of every error the service answers with: a stable code (docs/errors.md), words for people, the JSON path. */
export interface ServiceErrorBody {
  error: { code: ErrorCode; message: string; path?: string; problems?: Problem[] };
}

/** HTTP statuses the service answers errors with. */
export type ErrorStatus = 400 | 401 | 404 | 409 | 413 | 415 | 422 | 500 | 503;

/** Answers with the typed error body. */
export function errorResponse(
  c: Context,
  status: ErrorStatus,
  code: ErrorCode,
  message: string,
  extra: { path?: string; problems?: readonly Problem[] } = {},
): Response {
  const body: ServiceErrorBody = {
    error: {
      code,
      message,
      ...(extra.path !== undefined ? { path: extra.path } : {}),
      ...(extra.problems?.length ? { problems: [...extra.problems] } : {}),
    },
  };
  return c.json(body, status);
}

/** Service conditions that pass: a client is asked to try again (503, Retry-After), by every endpoint. */
export const RETRY_LATER: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'REGISTER_LOCKED',
  'REGISTER_UNAVAILABLE',
  'ISSUED_FILE_UNAVAILABLE',
]);

/**
 * A MicrocredError becomes 400 (the request is at fault) with its code and path; a register that does not answer is
 * 503 with Retry-After and fixed words (a database driver's message names hosts and SQL); anything else is ours
 * (500, no detail).
 */
export function libraryErrorResponse(c: Context, e: unknown, log?: (line: string) => void): Response {
  if (isMicrocredError(e)) {
    if (e.code === 'REGISTER_UNAVAILABLE') {
      // The operator's log keeps the cause (a database down, a workspace folder that cannot be written): the
      // answer's fixed words are all a client sees, and without this line an operator would see only 503s.
      log?.(`error ${c.req.method} ${c.req.path.slice(0, 200)}: ${e.code}: ${e.message}`);
      c.header('Retry-After', '5');
      return errorResponse(c, 503, e.code, 'The register does not answer just now; try again in a few seconds');
    }
    const status: ErrorStatus =
      e.code === 'REGISTER_LOCKED' || e.code === 'ISSUED_FILE_UNAVAILABLE'
        ? 503
        : e.code === 'PROOF_GENERATION_ERROR' || e.code === 'INVALID_KEY' || e.code === 'REGISTER_INCONSISTENT'
          ? 500
          : 400;
    return errorResponse(c, status, e.code, e.message, {
      ...(e.problems[0]?.path !== undefined ? { path: e.problems[0].path } : {}),
      problems: e.problems,
    });
  }
  return errorResponse(c, 500, 'INTERNAL_ERROR', 'The service failed on its side; try again later');
}

/** The parsed JSON body, or an error response: 415 unless `application/json`, 400 for malformed JSON or a name given twice. */
export async function readJsonBody(c: Context): Promise<{ value: unknown; text: string } | Response> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json' && type !== 'application/ld+json') {
    return errorResponse(c, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json');
  }
  const text = await c.req.text();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return errorResponse(c, 400, 'MALFORMED_JSON', 'The body is not well-formed JSON');
  }
  // JSON.parse keeps the last of two equal names; a signer or verifier reading the first would see another document.
  const duplicate = findDuplicateKey(text, value);
  if (duplicate !== undefined)
    return errorResponse(c, 400, 'DUPLICATE_KEY', `The body names ${duplicate} twice`, { path: duplicate });
  return { value, text };
}

/** True for a plain JSON object. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
