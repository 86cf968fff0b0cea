import { setStatusCommand } from '../set-status';

/** `microcred suspend`: suspend a credential. */
export const suspend = setStatusCommand('suspension', true, 'suspend a credential');
