/** The OpenAPI 3.1 description of the service (served at `/openapi.json`). */
export function openApiDocument(publicUrl: string): Record<string, unknown> {
  const json = (schema: Record<string, unknown>) => ({ content: { 'application/json': { schema } } });
  const error = {
    description: 'A typed error: { error: { code, message, path? } } (codes in docs/errors.md)',
    ...json({ $ref: '#/components/schemas/Error' }),
  };
  const bearer = [{ bearer: [] }];
  const result = {
    description: 'The verification result',
    ...json({ $ref: '#/components/schemas/VerificationResult' }),
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'microcredentials issuing service',
      version: '1',
      description: 'W3C VC API (issue, verify, status), OpenID4VCI pre-authorized flow, hosting. See docs/service.md.',
    },
    servers: [{ url: publicUrl }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'A token from `microcred token create`' },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: {
                code: { type: 'string' },
                message: { type: 'string' },
                path: { type: 'string' },
                problems: { type: 'array' },
              },
            },
          },
        },
        Problem: {
          type: 'object',
          properties: {
            check: { type: 'string' },
            code: { type: 'string' },
            message: { type: 'string' },
            path: { type: 'string' },
          },
        },
        VerificationResult: {
          type: 'object',
          required: ['verified', 'checks', 'warnings', 'errors'],
          properties: {
            verified: { type: 'boolean' },
            checks: { type: 'array', items: { type: 'string' } },
            warnings: { type: 'array', items: { $ref: '#/components/schemas/Problem' } },
            errors: { type: 'array', items: { $ref: '#/components/schemas/Problem' } },
          },
        },
      },
    },
    paths: {
      '/credentials/issue': {
        post: {
          summary: 'Issue a credential (VC API)',
          security: bearer,
          requestBody: {
            required: true,
            ...json({
              type: 'object',
              required: ['credential'],
              properties: {
                credential: { type: 'object' },
                options: {
                  type: 'object',
                  properties: { format: { enum: ['eddsa-rdfc-2022', 'eddsa-jcs-2022', 'vc-jwt'] } },
                },
              },
            }),
          },
          responses: {
            201: { description: 'Issued', ...json({ type: 'object', properties: { verifiableCredential: {} } }) },
            200: { description: 'Issued before under this id: the same credential' },
            400: error,
            401: error,
            413: error,
            415: error,
          },
        },
      },
      '/credentials/verify': {
        post: {
          summary: 'Verify a credential (VC API)',
          requestBody: {
            required: true,
            ...json({
              type: 'object',
              required: ['verifiableCredential'],
              properties: { verifiableCredential: {}, options: { type: 'object' } },
            }),
          },
          responses: { 200: result, 400: result, 413: error, 415: error },
        },
      },
      '/presentations/verify': {
        post: {
          summary: 'Verify a presentation (VC API)',
          requestBody: {
            required: true,
            ...json({
              type: 'object',
              required: ['verifiablePresentation'],
              properties: {
                verifiablePresentation: {},
                options: { type: 'object', properties: { challenge: { type: 'string' }, domain: { type: 'string' } } },
              },
            }),
          },
          responses: { 200: result, 400: result, 413: error, 415: error },
        },
      },
      '/credentials/status': {
        post: {
          summary: 'Revoke, suspend or reinstate a credential (VC API)',
          security: bearer,
          requestBody: {
            required: true,
            ...json({
              type: 'object',
              required: ['credentialId', 'credentialStatus', 'reason'],
              properties: {
                credentialId: { type: 'string' },
                credentialStatus: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: {
                      type: { const: 'BitstringStatusListEntry' },
                      status: { enum: ['revoked', 'suspended', 'reinstated', 'active'] },
                    },
                  },
                },
                reason: { type: 'string' },
                actor: { type: 'string', description: 'Who asked (kept beside the token id the register records)' },
              },
            }),
          },
          responses: { 200: { description: 'The status now' }, 400: error, 401: error, 404: error, 503: error },
        },
      },
      '/oid4vci/offers': {
        post: {
          summary: 'Create OpenID4VCI offers for a roster',
          security: bearer,
          responses: {
            201: { description: 'One offer per learner: offerUri, qrSvg, txCode, expiresAt' },
            400: error,
            401: error,
          },
        },
      },
      '/oid4vci/token': {
        post: {
          summary: 'OpenID4VCI token endpoint (pre-authorized code + tx_code)',
          responses: { 200: { description: 'Access token' }, 400: { description: 'OAuth error' } },
        },
      },
      '/oid4vci/nonce': {
        post: { summary: 'OpenID4VCI nonce endpoint', responses: { 200: { description: '{ c_nonce }' } } },
      },
      '/oid4vci/credential': {
        post: {
          summary: 'OpenID4VCI credential endpoint',
          responses: {
            200: { description: '{ credentials: [{ credential }] }' },
            400: { description: 'OAuth error' },
            401: { description: 'invalid_token' },
          },
        },
      },
      '/health': {
        get: {
          summary:
            'For a load balancer: 200 while the register answers and the status lists can be published, 503 when not',
          responses: {
            200: { description: '{ status: "ok" }' },
            503: { description: '{ status: "unavailable", reason?: "status-lists" }' },
          },
        },
      },
      '/.well-known/openid-credential-issuer': {
        get: { summary: 'Credential issuer metadata', responses: { 200: { description: 'Metadata' } } },
      },
      '/.well-known/oauth-authorization-server': {
        get: { summary: 'Authorization server metadata', responses: { 200: { description: 'Metadata' } } },
      },
    },
  };
}
