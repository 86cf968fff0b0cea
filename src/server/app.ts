import fs from 'node:fs';
import path from 'node:path';
import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import {
  didWebUrl,
  EU_MICROCREDENTIAL_TYPE_METADATA,
  EU_MICROCREDENTIAL_VCT,
  isMicrocredError,
  MicrocredError,
  type Fetchers,
  type VerifyOptions,
} from '../index';
import { createNodeFetchers, type Workspace } from '../node/index';
import { errorResponse, libraryErrorResponse, RETRY_LATER } from './http';
import { packageRoot, readStaticTree, type StaticFile } from './files';
import { openApiDocument } from './openapi';
import { StatusListHost, safePathname } from './status-host';
import { serviceTokenIdOf, tokenChecker } from './tokens';
import { addVcApiRoutes } from './vc-api';
import { addOid4vciRoutes, type Oid4vciOptions } from './oid4vci';

/** Options of {@link createServiceApp}. */
export interface ServiceOptions {
  workspace: Workspace;
  /** The service's public URL (e.g. `https://credentials.ut.ee`), named in OpenID4VCI metadata and offers. Must be https (wallets and the OpenID4VCI library refuse anything else; TLS ends at your proxy). Default `https://localhost`. */
  publicUrl?: string;
  /** The verifier page to serve at `/` (a built `dist-web/`); default the package's `dist-web/` when it exists, `false` for none. */
  webDir?: string | false;
  /** Body size limits in bytes: issuing and status (default 256 KiB), verifying (default 2 MiB, a presentation of 32 credentials). */
  limits?: { issueBytes?: number; verifyBytes?: number };
  /**
   * Options of every verification (trust, clock skew, or fetchers of your own, which replace the default ones). This
   * workspace's own status lists and did:web document are always read locally.
   */
  verifyOptions?: VerifyOptions;
  /**
   * Fetch nothing a credential names (default false). By default verification fetches what a credential names (DID
   * documents, status lists, related resources) with `createNodeFetchers`: https only, never loopback, private or
   * link-local addresses (checked where the socket connects), 5 s and 2 MiB per URL, 3 redirects each re-checked.
   * Offline, a credential whose status list or DID lives elsewhere fails that check (fail closed).
   */
  offline?: boolean;
  /**
   * JSON-LD contexts beyond the bundled ones (URL → document) that issued and verified credentials may use, e.g. the
   * VC Data Model's examples context when the W3C test suites are pointed at the service. Trusted as given.
   */
  contexts?: Readonly<Record<string, unknown>>;
  /** OpenID4VCI settings (offer lifetime, clock). */
  oid4vci?: Oid4vciOptions;
  /**
   * How often, at most, a hosted status list is compared with the register before it is served (default 5 s): a
   * status change another server or the command line recorded is published and served within this time.
   */
  statusRecheckSeconds?: number;
  /** One line per request: method, path, status, milliseconds; never a body, header, query or token. */
  log?: (line: string) => void;
}

/** What the public is told when this server's status lists cannot be published; the reason, which names files, goes to the log. */
const STATUS_LISTS_REFUSED =
  "This server cannot serve its status lists now: it refused to publish them because its status folder does not agree with the register. Treat the status as unknown and try again later; the server's log says why";

/** The strict Content-Security-Policy of the verifier page: its own scripts and styles only, no framing. */
export const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * The issuing service as a Hono app: W3C VC API, hosting (status lists, did:web document, contexts, vocabulary
 * pages, the verifier page), OpenID4VCI pre-authorized flow, OpenAPI description. Web-standard Request/Response, so
 * tests call `app.request()` in-process and the same app runs on any runtime; {@link startService} serves it on Node.
 */
export function createServiceApp(options: ServiceOptions): Hono {
  const { workspace } = options;
  const app = new Hono();
  const statusLists = new StatusListHost(
    workspace,
    options.statusRecheckSeconds === undefined ? undefined : options.statusRecheckSeconds * 1000,
  );
  const publicUrl = (options.publicUrl ?? 'https://localhost').replace(/\/+$/, '');
  const limits = {
    issueBytes: options.limits?.issueBytes ?? 256 * 1024,
    verifyBytes: options.limits?.verifyBytes ?? 2 * 1024 * 1024,
  };
  const authorized = tokenChecker(workspace);
  /** The bearer token each authorized request presented, for the audit trail (see serviceTokenIdOf). */
  const presentedTokens = new WeakMap<Request, string>();
  const didDocumentFile = path.join(workspace.dir, 'did.json');
  const didDocumentPath = workspace.config.did.startsWith('did:web:')
    ? safePathname(didWebUrl(workspace.config.did))
    : undefined;

  if (options.log) {
    const log = options.log;
    app.use(async (c, next) => {
      const started = performance.now();
      await next();
      // The path only: query strings and bodies may carry codes or learner data.
      log(`${c.req.method} ${c.req.path.slice(0, 200)} ${c.res.status} ${(performance.now() - started).toFixed(1)}ms`);
    });
  }
  app.onError((e, c) => {
    options.log?.(`error ${c.req.method} ${c.req.path.slice(0, 200)}: ${(e as Error).name}`);
    if (process.env.MICROCRED_DEBUG) console.error(e);
    return errorResponse(c, 500, 'INTERNAL_ERROR', 'The service failed on its side; try again later');
  });
  app.notFound((c) => errorResponse(c, 404, 'NOT_FOUND', 'Nothing is served at this path'));

  const limit = (maxSize: number): MiddlewareHandler =>
    bodyLimit({
      maxSize,
      onError: (c) => errorResponse(c, 413, 'BODY_TOO_LARGE', `The body is larger than ${maxSize} bytes`),
    });
  const requireToken: MiddlewareHandler = async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const presented = /^Bearer ([A-Za-z0-9_-]+)$/i.exec(header)?.[1];
    let live: boolean;
    try {
      live = presented !== undefined && (await authorized(presented));
    } catch (e) {
      // A register that does not answer is the server's condition (503, retry), not a refused token.
      if (isMicrocredError(e) && RETRY_LATER.has(e.code)) return libraryErrorResponse(c, e, options.log);
      throw e;
    }
    if (!live || presented === undefined) {
      c.header('WWW-Authenticate', 'Bearer realm="microcred"');
      return errorResponse(c, 401, 'UNAUTHORIZED', 'This endpoint needs a bearer token (microcred token create)');
    }
    presentedTokens.set(c.req.raw, presented);
    await next();
    return undefined;
  };
  // Public verification from any origin (a page or wallet elsewhere); the issuing endpoints send no CORS headers.
  const publicCors = cors({
    origin: '*',
    allowMethods: ['POST', 'OPTIONS'],
    allowHeaders: ['Content-Type'],
    maxAge: 600,
  });
  app.use('/credentials/verify', publicCors, limit(limits.verifyBytes));
  app.use('/presentations/verify', publicCors, limit(limits.verifyBytes));
  app.use('/credentials/issue', limit(limits.issueBytes));
  app.use('/credentials/status', limit(limits.issueBytes));
  app.use('/oid4vci/*', limit(limits.issueBytes));

  const fetchers: Partial<Fetchers> = {
    ...(options.offline ? {} : createNodeFetchers()),
    ...pickFetchers(options.verifyOptions),
  };
  const resolveDocument = ownDidDocument(workspace.config.did, didDocumentFile, fetchers.resolveDocument);
  const fetchStatusList = async (url: string): Promise<unknown> => {
    const own = await statusLists.get(url);
    if (own !== undefined) return JSON.parse(own) as unknown;
    // An SD-JWT VC's Token Status List is read as its JWT text.
    const token = await statusLists.getToken(url);
    if (token !== undefined) return token;
    if (fetchers.fetchStatusList) return fetchers.fetchStatusList(url);
    throw new MicrocredError(
      'STATUS_RETRIEVAL_ERROR',
      'This service runs offline: it reads no status list but its own',
    );
  };
  const verifyOptions = (): VerifyOptions => ({
    ...(options.contexts ? { contexts: options.contexts } : {}),
    ...withoutFetchers(options.verifyOptions),
    resolveDocument,
    fetchStatusList,
    ...(fetchers.fetchResource ? { fetchResource: fetchers.fetchResource } : {}),
  });
  addVcApiRoutes(
    app,
    {
      workspace,
      statusLists,
      verifyOptions,
      ...(options.log ? { log: options.log } : {}),
      tokenIdOf: async (request) => {
        const presented = presentedTokens.get(request);
        return presented === undefined ? undefined : serviceTokenIdOf(workspace, presented);
      },
      ...(options.contexts ? { contexts: options.contexts } : {}),
    },
    requireToken,
  );
  addOid4vciRoutes(app, {
    workspace,
    publicUrl,
    requireToken,
    ...(options.oid4vci ? { options: options.oid4vci } : {}),
    ...(options.log ? { log: options.log } : {}),
  });

  app.get('/openapi.json', (c) => c.json(openApiDocument(publicUrl)));
  // The SD-JWT VC type metadata of the credentials this service issues, where a wallet looks for it: the vct's own
  // path, and the same path under /.well-known/vct/ (SD-JWT VC, "Type Metadata Retrieval").
  const typeMetadata = JSON.stringify(EU_MICROCREDENTIAL_TYPE_METADATA);
  const vctPath = new URL(EU_MICROCREDENTIAL_VCT).pathname;
  for (const at of [vctPath, `/.well-known/vct${vctPath}`])
    app.get(at, (c) =>
      c.body(typeMetadata, 200, {
        'Content-Type': 'application/json',
        'Access-Control-Allow-Origin': '*',
        'Cache-Control': 'max-age=3600',
      }),
    );
  // Why the status lists are refused, for the operator: once per reason and minute, so that a refused server under
  // traffic (or probed every second) does not flood its log with one paragraph per request.
  let refusalLogged: { reason?: string; at: number } = { at: 0 };
  const logRefusal = (): void => {
    const now = Date.now();
    if (statusLists.refusal !== refusalLogged.reason || now - refusalLogged.at >= 60_000) {
      refusalLogged = { reason: statusLists.refusal, at: now };
      options.log?.(`status lists not published: ${statusLists.refusal}`);
    }
  };
  // For a load balancer: 200 while the register answers and the status lists can be served; 503 once the register
  // does not answer (a closed or unreachable database) or publishing the lists was refused (this server's status
  // folder does not agree with the register), since every verifier sent here would then be told "status unknown".
  app.get('/health', async (c) => {
    try {
      await workspace.register.statusLists();
    } catch {
      return c.json({ status: 'unavailable' }, 503, { 'Cache-Control': 'no-store' });
    }
    if (!(await statusLists.canServe())) {
      logRefusal();
      return c.json({ status: 'unavailable', reason: 'status-lists' }, 503, { 'Cache-Control': 'no-store' });
    }
    return c.json({ status: 'ok' }, 200, { 'Cache-Control': 'no-store' });
  });

  // Hosting: the JSON-LD contexts and the vocabulary pages, from tables read once (no request path touches the disk).
  const root = packageRoot();
  const hosted: [string, Map<string, StaticFile>][] = [
    ['/contexts/', readStaticTree(path.join(root, 'contexts'))],
    ['/vocab/', readStaticTree(path.join(root, 'vocab'))],
  ];
  const webDir = options.webDir === false ? undefined : (options.webDir ?? path.join(root, 'dist-web'));
  const page = webDir && fs.existsSync(path.join(webDir, 'index.html')) ? readStaticTree(webDir) : undefined;

  app.get('*', async (c) => {
    const pathname = c.req.path;
    if (didDocumentPath && pathname === didDocumentPath && fs.existsSync(didDocumentFile)) {
      return c.body(fs.readFileSync(didDocumentFile, 'utf8'), 200, {
        'Content-Type': 'application/did+json',
        'Access-Control-Allow-Origin': '*',
      });
    }
    let list: Awaited<ReturnType<StatusListHost['byPath']>>;
    try {
      list = await statusLists.byPath(pathname);
    } catch (e) {
      if (!statusLists.refusal) throw e;
      // A verifier reading this answer must treat the status as unknown (fail closed), and try again later or elsewhere.
      logRefusal();
      c.header('Retry-After', '60');
      c.header('Cache-Control', 'no-store');
      c.header('Access-Control-Allow-Origin', '*');
      return errorResponse(c, 503, 'STATUS_ERROR', STATUS_LISTS_REFUSED);
    }
    if (list !== undefined)
      return c.body(list.body, 200, {
        'Content-Type': list.type,
        'Cache-Control': 'max-age=60',
        'Access-Control-Allow-Origin': '*',
      });
    for (const [prefix, files] of hosted) {
      const file = pathname.startsWith(prefix) ? files.get(pathname.slice(prefix.length)) : undefined;
      if (file)
        return c.body(file.body, 200, {
          'Content-Type': file.type,
          'Access-Control-Allow-Origin': '*',
          'Cache-Control': 'max-age=3600',
        });
    }
    if (page) {
      const file = page.get(pathname === '/' ? 'index.html' : pathname.slice(1));
      if (file)
        return c.body(file.body, 200, {
          'Content-Type': file.type,
          'Content-Security-Policy': PAGE_CSP,
          'X-Content-Type-Options': 'nosniff',
          'Referrer-Policy': 'no-referrer',
        });
    }
    return errorResponse(c, 404, 'NOT_FOUND', 'Nothing is served at this path');
  });
  return app;
}

/** The caller's verify options without the fetchers the service wraps. */
function withoutFetchers(options: VerifyOptions | undefined): VerifyOptions {
  if (!options) return {};
  const { fetchStatusList: _s, resolveDocument: _r, fetchResource: _f, ...rest } = options;
  return rest;
}

/** The fetchers among the caller's verify options. */
function pickFetchers(options: VerifyOptions | undefined): Partial<Fetchers> {
  return {
    ...(options?.resolveDocument ? { resolveDocument: options.resolveDocument } : {}),
    ...(options?.fetchStatusList ? { fetchStatusList: options.fetchStatusList } : {}),
    ...(options?.fetchResource ? { fetchResource: options.fetchResource } : {}),
  };
}

/** Resolves this workspace's own did:web from its file; anything else goes to the next resolver, or fails. */
function ownDidDocument(
  did: string,
  file: string,
  next?: (url: string) => Promise<unknown>,
): (url: string) => Promise<unknown> {
  return async (url) => {
    if (
      did.startsWith('did:web:') &&
      (url === did || url.startsWith(`${did}#`) || url === didWebUrl(did)) &&
      fs.existsSync(file)
    )
      return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    if (next) return next(url);
    throw new MicrocredError('RESOLVER_ERROR', 'This service runs offline: it resolves no DID but its own');
  };
}
