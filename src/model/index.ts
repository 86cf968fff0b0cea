export * from './ob';
export * from './eu';
