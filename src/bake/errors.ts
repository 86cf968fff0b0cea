import { MicrocredError } from '../errors';

/** Every image problem is INVALID_IMAGE at `$`: the caller's whole input is the image. */
export function invalidImage(message: string, cause?: unknown): MicrocredError {
  return new MicrocredError('INVALID_IMAGE', message, cause === undefined ? { path: '$' } : { path: '$', cause });
}
