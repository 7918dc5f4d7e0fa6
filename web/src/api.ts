/** A GraphQL error as the server returns it. */
export interface GqlError {
  message: string;
  extensions?: { code?: string };
}

/** Posts one operation to the API on the same origin; throws on transport or GraphQL errors. */
export async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: GqlError[] };
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
  if (!body.data) throw new Error(`HTTP ${res.status}: no data`);
  return body.data;
}
