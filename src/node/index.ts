// Node-only parts (issuer workspace, issuance register, CLI helpers) are exported from here.
export {};
