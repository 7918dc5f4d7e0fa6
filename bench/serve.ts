/**
 * One GraphQL server for the benchmark, in its own process (so the load generator does not share
 * its event loop): `ours` is this project's server (src/server), `peer` is `@neo4j/graphql` 7
 * serving the same database through the type definitions of bench/peer.ts.
 *
 *   npx tsx bench/serve.ts ours|peer|floor <bolt-uri>
 *
 * As deployed: NODE_ENV=production, request logging on (one JSON line per request) to the file
 * BENCH_LOG_FILE (default: none, logging off). `ours` honours CACHE_MAX_BYTES (0: cache off).
 * `floor` is the hand-written W1 statement behind a bare node:http handler (bench/floor.ts).
 *
 * Prints one JSON line `{"url": ...}` on stdout when it listens; exits cleanly on SIGTERM or
 * SIGINT. With BENCH_CPU_PROFILE=<file>, SIGUSR2 starts the V8 sampling profiler (after the
 * caller's warm-up, so start-up and compilation stay out of it) and SIGTERM writes the profile.
 */
import fs from 'node:fs';
import inspector from 'node:inspector';
import neo4j from 'neo4j-driver';
import pino from 'pino';
import { loadConfig } from '../src/config';
import { connect, neo4jPassword } from '../src/db';
import { startApp } from '../src/server';
import { startFloorServer } from './floor';
import { startPeer } from './peer';

async function main(): Promise<void> {
  const [kind, uri] = process.argv.slice(2);
  if (!['ours', 'peer', 'floor'].includes(kind) || !uri) {
    console.error('usage: serve.ts ours|peer|floor <bolt-uri>');
    process.exit(2);
  }
  const logFile = process.env.BENCH_LOG_FILE;
  const config = loadConfig({
    ...process.env,
    NEO4J_URI: uri,
    PORT: '0',
    NODE_ENV: 'production',
    LOG_LEVEL: logFile ? 'info' : 'silent',
    // The load comes from ONE client address (the generator): per-client rate limits would
    // answer most of it 429, so they are off unless the caller sets them.
    RATE_LIMIT_REQUESTS: process.env.RATE_LIMIT_REQUESTS ?? '0',
    RATE_LIMIT_POINTS: process.env.RATE_LIMIT_POINTS ?? '0',
  });
  let url: string;
  let stop: () => Promise<void>;
  if (kind === 'ours') {
    const conn = await connect(config);
    const app = await startApp(conn, config, {
      logStream: logFile ? pino.destination({ dest: logFile, sync: false }) : undefined,
    });
    url = app.url;
    stop = async () => {
      await app.stop();
      await conn.close({ stopLocal: false });
    };
  } else if (kind === 'peer') {
    const peer = await startPeer(uri, config.NEO4J_USER, neo4jPassword(config), logFile);
    url = peer.url;
    stop = peer.stop;
  } else {
    const driver = neo4j.driver(uri, neo4j.auth.basic(config.NEO4J_USER, neo4jPassword(config)), {
      disableLosslessIntegers: true,
      maxConnectionPoolSize: 100,
    });
    const floor = await startFloorServer(driver, logFile ?? '/dev/null');
    url = floor.url;
    stop = async () => {
      await floor.stop();
      await driver.close();
    };
  }
  process.stdout.write(`${JSON.stringify({ url, pid: process.pid })}\n`);
  const profileFile = process.env.BENCH_CPU_PROFILE;
  const profiler = profileFile ? new inspector.Session() : undefined;
  let profiling = false;
  if (profiler) {
    profiler.connect();
    process.on('SIGUSR2', () => {
      profiler.post('Profiler.enable', () =>
        profiler.post('Profiler.start', () => {
          profiling = true;
        }),
      );
    });
  }
  const writeProfile = () =>
    new Promise<void>((resolve) => {
      if (!profiler || !profiling) return resolve();
      profiler.post('Profiler.stop', (err, res) => {
        if (!err) fs.writeFileSync(profileFile!, JSON.stringify(res.profile));
        resolve();
      });
    });
  let stopping = false;
  const onSignal = () => {
    if (stopping) return;
    stopping = true;
    // Apollo Server stops itself on these signals too and then re-raises them, which can leave
    // our own stop() waiting: exit after a short grace period whatever happens.
    const force = setTimeout(() => process.exit(0), 5000);
    writeProfile()
      .then(stop)
      .finally(() => {
        clearTimeout(force);
        process.exit(0);
      });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
