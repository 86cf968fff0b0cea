/** Badge baking (Open Badges 3.0 §5.3): the entry point of this folder; the work is done in ./badge.ts and the format modules. */
export { bake, detectImageType, inspectBadgeImage, unbake, type Ob2Assertion } from './badge';
export type { BakedPayload } from './payload';
export { crc32 } from './crc32';
export { PNG_KEYWORD } from './png';
export { OB_SVG_NAMESPACE } from './svg';
