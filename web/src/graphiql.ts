// GraphiQL, self-hosted: bundled from npm (graphiql, React, Monaco with its workers), with the
// example queries of docs/queries/ preloaded as tabs (the server lists them at /graphiql/examples.json).
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import './graphiql.css';
import { GraphiQL } from 'graphiql';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';

interface Example {
  name: string;
  query: string;
  variables?: string;
}

const FALLBACK = `# The rival hypotheses for the Sony hack, as of 20 December 2014.
{
  incident(id: "sony-pictures-2014") {
    name
    hypotheses(asOf: "2014-12-20") {
      tag
      statement
      assessment { rank likelihood confidence }
      supporters { actor { name } }
    }
  }
}
`;

async function fetcher(
  params: unknown,
  opts?: { headers?: Record<string, string> },
): Promise<unknown> {
  const res = await fetch('/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      ...(opts?.headers ?? {}),
    },
    body: JSON.stringify(params),
  });
  return res.json();
}

async function examples(): Promise<Example[]> {
  try {
    const res = await fetch('/graphiql/examples.json');
    if (!res.ok) return [];
    return (await res.json()) as Example[];
  } catch {
    return [];
  }
}

void (async () => {
  const list = await examples();
  const tabs = (list.length ? list : [{ name: 'example', query: FALLBACK }]).map((e) => ({
    query: e.query.startsWith('#') ? e.query : `# ${e.name}\n${e.query}`,
    variables: e.variables,
  }));
  const root = createRoot(document.getElementById('graphiql')!);
  root.render(
    createElement(GraphiQL, {
      fetcher: fetcher as never,
      defaultTabs: tabs,
      defaultEditorToolsVisibility: true,
    }),
  );
})();
