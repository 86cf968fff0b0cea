import type { Hono } from 'hono';
import {
  verify,
  verifyPresentation,
  type Check,
  type IssueFormat,
  type VerificationReport,
  type VerifyOptions,
  type VerifyPresentationOptions,
} from '../index';
import {
  issueCredential,
  registerOlderThanWorkspace,
  revokeCredential,
  suspendCredential,
  type Workspace,
} from '../node/index';
import { errorResponse, isObject, libraryErrorResponse, readJsonBody } from './http';
import type { StatusListHost } from './status-host';

/** What the VC API routes need from the service. */
export interface VcApiContext {
  workspace: Workspace;
  statusLists: StatusListHost;
  /** Options every verification runs with (fetchers, trust); the request cannot widen them. */
  verifyOptions: () => VerifyOptions;
  /** Contexts beyond the bundled ones that issued credentials may use. */
  contexts?: Readonly<Record<string, unknown>>;
  /** The service's log: a register that does not answer is noted there with its cause. */
  log?: (line: string) => void;
  /** The id of the service token an authorized request presented: the actor the register records. */
  tokenIdOf?: (request: Request) => Promise<string | undefined>;
}

/** A finding as the VC API's verification result lists it. */
export interface VerificationProblem {
  check: string;
  code?: string;
  message: string;
  path?: string;
}

/** The VC API's verification result: the checks that passed, the warnings and the errors (with our codes), and the verdict in plain words. */
export interface VerificationResult {
  verified: boolean;
  /** What a person reads first (e.g. "Authentic: issued by …"), and its outcome; from the library's verdict. */
  verdict?: { outcome: string; headline: string };
  checks: string[];
  warnings: VerificationProblem[];
  errors: VerificationProblem[];
}

/** The credential formats `POST /credentials/issue` signs (`options.format`); the first is the default. */
export const VC_API_ISSUE_FORMATS = [
  'eddsa-rdfc-2022',
  'eddsa-jcs-2022',
  'vc-jwt',
] as const satisfies readonly IssueFormat[];

function problem(c: Check): VerificationProblem {
  return {
    check: c.check,
    ...(c.code ? { code: c.code } : {}),
    message: c.message,
    ...(c.path ? { path: c.path } : {}),
  };
}

/** Our report in the VC API's shape. */
export function toVerificationResult(report: {
  verified: boolean;
  checks: Check[];
  verdict?: { outcome: string; headline: string };
}): VerificationResult {
  return {
    verified: report.verified,
    ...(report.verdict ? { verdict: { outcome: report.verdict.outcome, headline: report.verdict.headline } } : {}),
    checks: report.checks.filter((c) => c.status === 'pass').map((c) => c.check),
    warnings: report.checks.filter((c) => c.status === 'warn').map(problem),
    errors: report.checks.filter((c) => c.status === 'fail').map(problem),
  };
}

const STATUS_VALUES: Record<string, { purpose: 'revocation' | 'suspension'; value: boolean }> = {
  revoked: { purpose: 'revocation', value: true },
  suspended: { purpose: 'suspension', value: true },
  reinstated: { purpose: 'suspension', value: false },
  active: { purpose: 'suspension', value: false },
};

/**
 * The W3C VC API routes: issue (bearer token), verify a credential, verify a presentation (public), update a
 * credential's status (bearer token). Each translates the request into one library call and its result back.
 */
export function addVcApiRoutes(app: Hono, ctx: VcApiContext, requireToken: Parameters<Hono['use']>[1]): void {
  app.post('/credentials/issue', requireToken, async (c) => {
    const body = await readJsonBody(c);
    if (body instanceof Response) return body;
    if (!isObject(body.value) || !isObject(body.value.credential))
      return errorResponse(c, 400, 'INVALID_INPUT', 'The body is { "credential": { … }, "options": { … } }', {
        path: '$.credential',
      });
    const options = body.value.options;
    if (options !== undefined && !isObject(options))
      return errorResponse(c, 400, 'INVALID_INPUT', 'options must be an object', { path: '$.options' });
    const format = options?.format ?? VC_API_ISSUE_FORMATS[0];
    if (!(VC_API_ISSUE_FORMATS as readonly unknown[]).includes(format))
      return errorResponse(
        c,
        400,
        'UNSUPPORTED_FORMAT',
        `options.format is one of ${VC_API_ISSUE_FORMATS.join(', ')}`,
        { path: '$.options.format' },
      );
    try {
      const issued = await issueCredential(ctx.workspace, body.value.credential, {
        format: format as IssueFormat,
        ...(ctx.contexts ? { contexts: ctx.contexts } : {}),
      });
      return c.json({ verifiableCredential: issued.credential }, issued.replayed ? 200 : 201);
    } catch (e) {
      return libraryErrorResponse(c, e, ctx.log);
    }
  });

  app.post('/credentials/verify', async (c) => {
    const body = await readJsonBody(c);
    if (body instanceof Response) return body;
    const input = isObject(body.value) ? body.value.verifiableCredential : undefined;
    if (!isObject(input) && typeof input !== 'string')
      return errorResponse(
        c,
        400,
        'INVALID_INPUT',
        'The body is { "verifiableCredential": { … } or "<JWT>", "options": { … } }',
        { path: '$.verifiableCredential' },
      );
    const report: VerificationReport = await verify(input, ctx.verifyOptions());
    const result = toVerificationResult(report);
    return c.json(result, result.verified ? 200 : 400);
  });

  app.post('/presentations/verify', async (c) => {
    const body = await readJsonBody(c);
    if (body instanceof Response) return body;
    const input = isObject(body.value) ? body.value.verifiablePresentation : undefined;
    if (!isObject(input) && typeof input !== 'string')
      return errorResponse(
        c,
        400,
        'INVALID_INPUT',
        'The body is { "verifiablePresentation": { … } or "<JWT>", "options": { "challenge", "domain" } }',
        { path: '$.verifiablePresentation' },
      );
    const options =
      isObject(body.value) && isObject((body.value as Record<string, unknown>).options)
        ? ((body.value as Record<string, unknown>).options as Record<string, unknown>)
        : {};
    for (const name of ['challenge', 'domain'] as const) {
      if (options[name] !== undefined && typeof options[name] !== 'string')
        return errorResponse(c, 400, 'INVALID_INPUT', `options.${name} is text`, { path: `$.options.${name}` });
    }
    const presentationOptions: VerifyPresentationOptions = {
      ...ctx.verifyOptions(),
      ...(typeof options.challenge === 'string' ? { challenge: options.challenge } : {}),
      ...(typeof options.domain === 'string' ? { domain: options.domain } : {}),
    };
    const report = await verifyPresentation(input, presentationOptions);
    const result = { ...toVerificationResult(report), credentialResults: report.credentials.map(toVerificationResult) };
    return c.json(result, result.verified ? 200 : 400);
  });

  app.post('/credentials/status', requireToken, async (c) => {
    const body = await readJsonBody(c);
    if (body instanceof Response) return body;
    const value = body.value;
    if (!isObject(value) || typeof value.credentialId !== 'string')
      return errorResponse(
        c,
        400,
        'INVALID_INPUT',
        'The body is { "credentialId": "…", "credentialStatus": [{ "type": "BitstringStatusListEntry", "status": "revoked" }], "reason": "…" }',
        { path: '$.credentialId' },
      );
    const entries = value.credentialStatus;
    if (!Array.isArray(entries) || entries.length !== 1 || !isObject(entries[0]))
      return errorResponse(c, 400, 'INVALID_INPUT', 'credentialStatus is a list of one entry', {
        path: '$.credentialStatus',
      });
    const entry = entries[0];
    const change = typeof entry.status === 'string' ? STATUS_VALUES[entry.status] : undefined;
    if (!change)
      return errorResponse(c, 400, 'INVALID_INPUT', `status is one of ${Object.keys(STATUS_VALUES).join(', ')}`, {
        path: '$.credentialStatus[0].status',
      });
    const options = isObject(value.options) ? value.options : {};
    const reason =
      typeof value.reason === 'string' ? value.reason : typeof options.reason === 'string' ? options.reason : undefined;
    if (!reason?.trim())
      return errorResponse(c, 400, 'MISSING_ELEMENT', 'Give the reason (kept in the register with the change)', {
        path: '$.reason',
      });
    const register = ctx.workspace.register;
    try {
      // Before "no such credential": a register restored from an old backup has forgotten the newer ones.
      const older = await registerOlderThanWorkspace(ctx.workspace, 'status change');
      if (older) return libraryErrorResponse(c, older);
      if (!(await register.findByCredentialId(value.credentialId)))
        return errorResponse(c, 404, 'NOT_FOUND', 'No credential with this id in the register', {
          path: '$.credentialId',
        });
      // The register names the token that made the change; what the body says of its author is kept beside it,
      // never instead of it (anyone holding a token could write any name there).
      const tokenId = await ctx.tokenIdOf?.(c.req.raw);
      const claimed = typeof value.actor === 'string' && value.actor.trim() ? value.actor.trim().slice(0, 200) : '';
      const actor = [tokenId ? `service token ${tokenId}` : '', claimed ? `for ${JSON.stringify(claimed)}` : '']
        .filter(Boolean)
        .join(' ');
      const request = { credentialId: value.credentialId, reason, ...(actor ? { actor } : {}) };
      // A programme stands on its parts: the programme credentials awarded on this one change with it, as they do
      // from the command line (revoke, suspend, reinstate).
      const changed =
        change.purpose === 'revocation'
          ? await revokeCredential(ctx.workspace, request)
          : await suspendCredential(ctx.workspace, { ...request, value: change.value });
      const { result } = changed;
      // The hosted lists must say what the register now says before the change is reported done.
      if (result.recorded || changed.programmes.some((p) => p.result.recorded)) {
        try {
          await ctx.statusLists.publish();
        } catch (e) {
          const refusal = ctx.statusLists.refusal;
          if (!refusal) throw e;
          // Recorded, but not yet what verifiers read: the registrar must know, and a retry records nothing twice.
          return errorResponse(
            c,
            503,
            'STATUS_ERROR',
            `The change is recorded in the register, but this server could not publish its status lists, so verifiers do not see it yet: ${refusal}`,
            { path: '$.credentialId' },
          );
        }
      }
      return c.json(
        {
          credentialId: value.credentialId,
          recorded: result.recorded,
          status: result.status,
          programmes: changed.programmes.map((p) => ({
            credentialId: p.credentialId,
            recorded: p.result.recorded,
            status: p.result.status,
          })),
        },
        200,
      );
    } catch (e) {
      return libraryErrorResponse(c, e, ctx.log);
    }
  });
}
