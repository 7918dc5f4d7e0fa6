import { runMutation, type Caller } from './define';
import { MUTATION_BY_NAME, MUTATIONS, createApiKeyMutation, revokeApiKeyMutation } from './table';

export { mutationResolvers } from './resolvers';
export { runMutation, toUserErrors } from './define';
export type { AnyMutation, Caller, MutationDef, UserError } from './define';
export { MUTATIONS, MUTATION_BY_NAME };

/** Runs the mutation `name` of the table for a caller (the CLI, scripts, tests); throws AppErrors. */
export function mutate(name: string, caller: Caller, input: unknown): Promise<object> {
  const def = MUTATION_BY_NAME.get(name);
  if (!def) throw new Error(`No mutation named ${name}`);
  return runMutation(def, caller, input);
}

/** createApiKey for the CLI and tests: the secret (shown once) and the key's record. */
export const createApiKey = (caller: Caller, input: unknown) =>
  runMutation(createApiKeyMutation, caller, input);

/** revokeApiKey for the CLI and tests. */
export const revokeApiKey = (caller: Caller, input: unknown) =>
  runMutation(revokeApiKeyMutation, caller, input);
