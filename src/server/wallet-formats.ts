import { EU_MICROCREDENTIAL_VCT, type IssueFormat } from '../index';
import { OB_CONTEXT_303, VC_CONTEXT_V2 } from '../entries/jsonld';

/**
 * One credential format the OpenID4VCI endpoint delivers: its configuration id in the issuer metadata, its
 * OpenID4VCI format identifier, how the library signs it, and the metadata entry wallets read. This list is the one
 * place formats are named: metadata, offers and the credential endpoint all read it, so a new format is one more
 * entry.
 */
export interface WalletFormat {
  configurationId: string;
  format: string;
  /** The library format `issue()` signs with. */
  issueFormat: IssueFormat;
  /** The `credential_configurations_supported` entry, without the fields every format shares. */
  metadata: Record<string, unknown>;
  /**
   * How the credential is bound to the wallet: `subject` puts the wallet's DID in `credentialSubject.id`; `cnf` puts
   * the wallet's public key in the SD-JWT VC's `cnf.jwk` (the learner's DID is its `learner.id` claim too), so that a
   * presentation needs the wallet's Key Binding JWT.
   */
  binding: 'subject' | 'cnf';
}

const OB_TYPES = ['VerifiableCredential', 'OpenBadgeCredential'];

/** The formats the OpenID4VCI endpoint delivers, in the order the issuer metadata lists them. */
export const WALLET_FORMATS: readonly WalletFormat[] = [
  {
    configurationId: 'OpenBadgeCredential_ldp_vc',
    format: 'ldp_vc',
    issueFormat: 'eddsa-rdfc-2022',
    metadata: { credential_definition: { '@context': [VC_CONTEXT_V2, OB_CONTEXT_303], type: OB_TYPES }, credential_signing_alg_values_supported: ['eddsa-rdfc-2022'] },
    binding: 'subject',
  },
  {
    configurationId: 'OpenBadgeCredential_jwt_vc_json',
    format: 'jwt_vc_json',
    issueFormat: 'vc-jwt',
    metadata: { credential_definition: { type: OB_TYPES }, credential_signing_alg_values_supported: ['EdDSA'] },
    binding: 'subject',
  },
  {
    configurationId: 'EuMicroCredential_dc_sd_jwt',
    format: 'dc+sd-jwt',
    issueFormat: 'dc+sd-jwt',
    metadata: { vct: EU_MICROCREDENTIAL_VCT, credential_signing_alg_values_supported: ['EdDSA'] },
    binding: 'cnf',
  },
];

/** Signature algorithms the service accepts in a wallet's proof JWT. */
export const PROOF_ALGORITHMS = ['EdDSA', 'ES256'] as const;

/** The `credential_configurations_supported` of the issuer metadata. */
export function credentialConfigurations(): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    WALLET_FORMATS.map((f) => [
      f.configurationId,
      {
        format: f.format,
        ...f.metadata,
        cryptographic_binding_methods_supported: ['did:key', 'did:jwk', 'jwk'],
        proof_types_supported: { jwt: { proof_signing_alg_values_supported: [...PROOF_ALGORITHMS] } },
        credential_metadata: { display: [{ name: 'Micro-credential', locale: 'en' }] },
      },
    ]),
  );
}
