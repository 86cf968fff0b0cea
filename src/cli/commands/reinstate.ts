import { setStatusCommand } from '../set-status';

/** `microcred reinstate`: lift a suspension. */
export const reinstate = setStatusCommand('suspension', false, 'lift a suspension');
