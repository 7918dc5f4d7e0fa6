/** A GraphQL error as the server returns it. */
export interface GqlError {
  message: string;
  extensions?: { code?: string };
}

/** An input problem a mutation answers in its payload (`userErrors`). */
export interface UserError {
  field: string;
  path: string[];
  code: string;
  message: string;
}

/** The bearer credential sent with every request (an API key or an access token); null: anonymous. */
let credential: string | null = null;

/** Sets (or clears) the credential `gql` sends as `Authorization: Bearer ...`. */
export function setCredential(value: string | null): void {
  credential = value;
}

/** Posts one operation to the API on the same origin; throws on transport or GraphQL errors. */
export async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json',
  };
  if (credential) headers.authorization = `Bearer ${credential}`;
  const res = await fetch('/graphql', {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: GqlError[] };
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
  if (!body.data) throw new Error(`HTTP ${res.status}: no data`);
  return body.data;
}
