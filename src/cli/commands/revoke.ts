import { setStatusCommand } from '../set-status';

/** `microcred revoke`: revoke a credential (final). */
export const revoke = setStatusCommand('revocation', true, 'revoke a credential (final)');
