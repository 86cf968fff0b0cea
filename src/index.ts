export * from './errors';
export * from './jsonld';
export * from './model';
export * from './model/vocab';
export * from './build';
export * from './status';
export * from './read';
export * from './schema';
