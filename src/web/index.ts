import fs from 'node:fs';
import path from 'node:path';
import express from 'express';
import type { Express, Request, Response } from 'express';
import { ROOT } from '../config';

/** Where `vite build web` puts the explorer (index.html) and GraphiQL (graphiql.html). */
export const WEB_DIST = path.join(ROOT, 'web', 'dist');
/** The example queries preloaded in GraphiQL (read at each request, so new files show at once). */
export const QUERIES_DIR = path.join(ROOT, 'docs', 'queries');

export interface ExampleQuery {
  /** File name without `.graphql`. */
  name: string;
  /** The query text. */
  query: string;
  /** Variables as JSON text, from `<name>.json` or `<name>.variables.json` beside it, when present. */
  variables?: string;
}

/** Reads docs/queries/*.graphql, sorted by name; an absent folder gives no examples. */
export function readExampleQueries(dir = QUERIES_DIR): ExampleQuery[] {
  let files: string[];
  try {
    files = fs.readdirSync(dir).filter((f) => f.endsWith('.graphql'));
  } catch {
    return [];
  }
  return files.sort().map((file) => {
    const name = file.slice(0, -'.graphql'.length);
    const example: ExampleQuery = { name, query: fs.readFileSync(path.join(dir, file), 'utf8') };
    for (const v of [`${name}.variables.json`, `${name}.json`]) {
      const p = path.join(dir, v);
      if (fs.existsSync(p)) {
        example.variables = fs.readFileSync(p, 'utf8');
        break;
      }
    }
    return example;
  });
}

const NOT_BUILT =
  'The web explorer is not built: run `npm run build:web` (npm ci and npm install build it).';

/**
 * Mounts the web pages on the API's Express app: the case explorer at `/` (and at its sign-in
 * callback `/signin/callback`), GraphiQL at `/graphiql` (with `/graphiql/examples.json`), and the
 * bundled assets. Everything comes from web/dist: no CDN.
 */
export function mountWeb(app: Express, dist = WEB_DIST, queriesDir = QUERIES_DIR): void {
  const page = (file: string) => (_req: Request, res: Response) => {
    const full = path.join(dist, file);
    if (!fs.existsSync(full)) {
      res.status(503).type('text/plain').send(NOT_BUILT);
      return;
    }
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(full);
  };
  app.get('/graphiql/examples.json', (_req, res) => {
    res.setHeader('cache-control', 'no-cache');
    res.json(readExampleQueries(queriesDir));
  });
  app.get(['/graphiql', '/graphiql/'], page('graphiql.html'));
  // `/signin/callback`: where the OpenID provider sends the browser back with the code; the
  // explorer finishes the sign-in there and returns to the page it left (docs/sign-in.md).
  app.get(['/', '/signin/callback'], page('index.html'));
  app.get('/report', page('report.html'));
  // Browsers ask for /favicon.ico on pages without a <link rel="icon"> (JSON answers, errors).
  app.get('/favicon.ico', (_req, res) => {
    const icon = path.join(dist, 'favicon.svg');
    if (fs.existsSync(icon)) res.type('image/svg+xml').sendFile(icon);
    else res.status(404).end();
  });
  // Hashed file names: cacheable for good.
  app.use(
    '/assets',
    express.static(path.join(dist, 'assets'), { immutable: true, maxAge: '1y', index: false }),
  );
  app.use(express.static(dist, { index: false }));
}
