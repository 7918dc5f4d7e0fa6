/**
 * The peer of the benchmark: `@neo4j/graphql` 7 (a dev dependency used only in bench/) serving
 * the SAME database, with type definitions mapping this project's labels and relationships.
 * It has no scoring, no as-of replay and no grouping by claimant: W1 on the peer fetches the same
 * records (hypotheses, suspects, supporting and disputing claims with claimant and sources) AND
 * what our assessment is computed from (the ratings with their rater, evidence and its sources),
 * leaving the ranking to the client. The harness asserts that it returns the same claims as ours
 * per hypothesis before timing. Served like ours: production mode, one log line per request.
 */
import http from 'node:http';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { Neo4jGraphQL } from '@neo4j/graphql';
import express from 'express';
import neo4j from 'neo4j-driver';
import pino from 'pino';
import { pinoHttp } from 'pino-http';

export const PEER_TYPE_DEFS = /* GraphQL */ `
  type Incident @node {
    id: ID!
    name: String
    summary: String
    hypotheses: [Hypothesis!]! @relationship(type: "ABOUT", direction: IN)
  }
  type Hypothesis @node {
    id: ID!
    tag: String
    statement: String
    suspects: [Actor!]! @relationship(type: "SUSPECTS", direction: OUT)
    supportingClaims: [Claim!]! @relationship(type: "SUPPORTS", direction: IN)
    disputingClaims: [Claim!]! @relationship(type: "DISPUTES", direction: IN)
    ratings: [Rating!]! @relationship(type: "AGAINST", direction: IN)
  }
  type Rating @node {
    id: ID!
    rating: String
    rater: [Actor!]! @relationship(type: "BY", direction: OUT)
    evidence: [Evidence!]! @relationship(type: "RATES", direction: OUT)
  }
  type Evidence @node {
    id: ID!
    title: String
    credibility: Int
    sources: [Source!]! @relationship(type: "CITES", direction: OUT)
  }
  type Claim @node {
    id: ID!
    text: String
    statedAt: Date
    claimant: [Actor!]! @relationship(type: "BY", direction: OUT)
    sources: [Source!]! @relationship(type: "CITES", direction: OUT)
  }
  type Source @node {
    id: ID!
    title: String
    url: String
    publishedAt: Date
    reliability: String
    publisher: [Actor!]! @relationship(type: "PUBLISHED_BY", direction: OUT)
  }
  type Actor
    @node
    @fulltext(indexes: [{ indexName: "search", queryName: "actorsSearch", fields: ["name"] }]) {
    id: ID!
    name: String
    kind: String
  }
`;

const PEER_SOURCE = 'id title url publishedAt reliability publisher { name }';
const PEER_CLAIM = `id text statedAt claimant { id name } sources { ${PEER_SOURCE} }`;

/** W1 on the peer: the same records as our flagship query and the assessment's inputs. */
export const PEER_FLAGSHIP = `query PeerFlagship($id: ID!) {
  incidents(where: { id: { eq: $id } }) {
    hypotheses {
      id statement
      suspects { id name }
      supportingClaims { ${PEER_CLAIM} }
      disputingClaims { ${PEER_CLAIM} }
      ratings { id rating rater { id } evidence { id credibility sources { id reliability } } }
    }
  }
}`;

/**
 * W2 on the peer: `@fulltext` over the same `search` index, one label per generated query
 * (the peer cannot search several labels in one query), so actors only.
 */
export const PEER_SEARCH = `query PeerSearch($text: String!) {
  actorsSearch(phrase: $text, first: 20) { edges { score node { id } } }
}`;

export interface Peer {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts the peer on a free loopback port, on the same HTTP stack as ours (Express 5 + Apollo 5),
 * with a pino-http log line per request to `logFile` when given (as ours logs in production).
 */
export async function startPeer(
  uri: string,
  user: string,
  password: string,
  logFile?: string,
): Promise<Peer> {
  const driver = neo4j.driver(uri, neo4j.auth.basic(user, password));
  await driver.verifyConnectivity();
  const neoSchema = new Neo4jGraphQL({ typeDefs: PEER_TYPE_DEFS, driver });
  const schema = await neoSchema.getSchema();
  const app = express();
  const server = http.createServer(app);
  const apollo = new ApolloServer({
    schema,
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer: server })],
  });
  await apollo.start();
  if (logFile)
    app.use(pinoHttp({ logger: pino(pino.destination({ dest: logFile, sync: false })) }));
  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, { context: async () => ({}) }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    stop: async () => {
      await apollo.stop();
      await driver.close();
    },
  };
}
