export * from './errors';
export * from './jsonld';
