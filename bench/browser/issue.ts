// Issuing, loaded on demand by the benchmark page (a verifying page never needs it).
export { importKey, issue } from '../../src/index';
