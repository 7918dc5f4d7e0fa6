export { startApp, formatError } from './app';
export type { App } from './app';
export { buildSchema, loadTypeDefs, resolvers } from './schema';
