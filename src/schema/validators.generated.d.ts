// Types of the module scripts/generate-schema.mjs writes (ajv standalone code, compiled ahead of time).

/** The error objects ajv's generated code reports (a subset of ajv's `ErrorObject`). */
export interface GeneratedValidatorError {
  /** JSON Pointer to the value at fault, e.g. `/credentialSubject/achievement/name`. */
  instancePath: string;
  /** Where in the schema the failing keyword is, e.g. `#/$defs/Achievement/required`. */
  schemaPath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

export interface GeneratedValidator {
  (data: unknown): boolean;
  errors?: GeneratedValidatorError[] | null;
}

/** schemas/ob3-credential.schema.json */
export declare const validateOb3Credential: GeneratedValidator;
/** schemas/eu-microcredential-v1.schema.json */
export declare const validateEuMicroCredential: GeneratedValidator;
