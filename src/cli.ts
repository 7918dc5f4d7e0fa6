#!/usr/bin/env node
import { Command, Option } from 'commander';
import { LIST_KEYS, activeAdminKeys, cliPrincipal } from './auth';
import { loadConfig } from './config';
import { connect, cypher, migrate, portInUse, stopLocalNeo4j } from './db';
import { keyView } from './auth';
import { createApiKey, revokeApiKey } from './mutations';
import { buildReport } from './report';
import { SEED_DIR, SeedError, loadSeed } from './seed';
import { startApp } from './server';
import { registerStixCommands } from './stix/cli';

const log = (line: string) => process.stderr.write(`${line}\n`);
/** How to create the first admin key (printed by `start` while none exists). */
const FIRST_KEY_HINT = [
  'auth: no admin API key exists yet. Create the first one (the key is printed once):',
  '  npx tsx src/cli.ts keys:create --role admin --name "<your name>"',
  'then send it as "Authorization: Bearer <key>". Anonymous clients can read (ALLOW_ANONYMOUS_READS=0 turns that off); writing needs an analyst key.',
].join('\n');

const HAS_DATA = cypher<{ n: number }>('hasIncidents', 'MATCH (i:Incident) RETURN count(i) AS n');

/** Runs a command, turning known failures into one clear line and exit code 1 (no stack trace). */
async function run(fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof SeedError) log(err.message);
    else log(`error: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}

const program = new Command()
  .name('attribution')
  .description('Cyber-incident attribution knowledge graph: Neo4j, GraphQL, the Sony case.');

program
  .command('start')
  .description(
    'Get Neo4j (NEO4J_URI, or the local one), apply the schema, load the seed into an empty database, serve GraphQL.',
  )
  .action(() =>
    run(async () => {
      const config = loadConfig();
      if (await portInUse(config.PORT, config.HOST)) {
        throw new Error(
          `Port ${config.PORT} on ${config.HOST} is already in use (is another \`npm start\` running?). Stop it or set PORT to a free port.`,
        );
      }
      const conn = await connect(config, log);
      let app: Awaited<ReturnType<typeof startApp>> | undefined;
      let stopping = false;
      const shutdown = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        log(`\n${signal}: stopping...`);
        await app?.stop();
        await conn.close();
        if (conn.local?.started) log('local Neo4j stopped.');
        process.exit(0);
      };
      process.on('SIGINT', () => void shutdown('SIGINT'));
      process.on('SIGTERM', () => void shutdown('SIGTERM'));
      try {
        const applied = await migrate(conn.db());
        log(`schema: ${applied.length} migration(s) applied`);
        const [{ n }] = await conn.db().read(HAS_DATA);
        if (n === 0) {
          const report = await loadSeed(conn.db());
          log(
            `seed: loaded ${report.nodes} nodes and ${report.relationships} relationships from ${SEED_DIR}`,
          );
        } else
          log(
            `seed: database already holds ${n} incident(s); not reloading (npm run seed to update)`,
          );
        if ((await activeAdminKeys(conn.db())) === 0) log(FIRST_KEY_HINT);
        app = await startApp(conn, config);
      } catch (err) {
        await conn.close();
        throw err;
      }
      log(`GraphQL ready at ${app.url}   (Ctrl-C stops everything this command started)`);
    }),
  );

program
  .command('seed')
  .description('Validate the seed files and load them (idempotent: a second run changes nothing).')
  .option('--dir <dir>', 'seed folder', SEED_DIR)
  .action((opts: { dir: string }) =>
    run(async () => {
      const config = loadConfig();
      const conn = await connect(config, log);
      try {
        await migrate(conn.db());
        const r = await loadSeed(conn.db(), opts.dir);
        log(
          `seed: ${r.nodes} nodes, ${r.relationships} relationships in ${r.statements} statements; ${r.changes} change(s) to the database` +
            (r.stixIdsStored
              ? `; STIX ids stored on ${r.stixIdsStored} node(s) or link(s) that lacked them`
              : ''),
        );
      } finally {
        await conn.close();
      }
    }),
  );

program
  .command('migrate')
  .description('Apply schema/migrations/*.cypher (constraints and indexes), idempotently.')
  .action(() =>
    run(async () => {
      const conn = await connect(loadConfig(), log);
      try {
        const applied = await migrate(conn.db());
        log(`schema: ${applied.join(', ')} applied`);
      } finally {
        await conn.close();
      }
    }),
  );

program
  .command('db:start')
  .description('Start the local Neo4j in the background (ignored when NEO4J_URI is set).')
  .action(() =>
    run(async () => {
      const config = loadConfig();
      if (config.NEO4J_URI) {
        log(`NEO4J_URI is set (${config.NEO4J_URI}); no local Neo4j needed.`);
        return;
      }
      const conn = await connect(config, log);
      log(
        conn.local!.started
          ? `local Neo4j running at ${conn.local!.uri} (pid ${conn.local!.pid})`
          : `local Neo4j already running at ${conn.local!.uri}`,
      );
      await conn.close({ stopLocal: false });
    }),
  );

program
  .command('db:stop')
  .description('Stop the local Neo4j.')
  .action(() =>
    run(async () => {
      const config = loadConfig();
      log(
        (await stopLocalNeo4j(config.NEO4J_LOCAL_HOME, log))
          ? 'local Neo4j stopped'
          : 'local Neo4j was not running',
      );
    }),
  );

program
  .command('keys:create')
  .description(
    'Create an API key and print it once on stdout (only its hash is stored). The first admin key is made this way.',
  )
  .addOption(
    new Option('--role <role>', 'what the key may do')
      .choices(['reader', 'analyst', 'admin'])
      .makeOptionMandatory(),
  )
  .requiredOption('--name <name>', 'who holds the key (a person or a service)')
  .option('--actor <id>', 'the actor the key speaks for (default rater and analyst)')
  .action((opts: { role: string; name: string; actor?: string }) =>
    run(async () => {
      const conn = await connect(loadConfig(), log);
      try {
        await migrate(conn.db());
        const { key, apiKey } = await createApiKey(
          { db: conn.db(), principal: cliPrincipal() },
          { name: opts.name, role: opts.role, actor: opts.actor ?? null },
        );
        log(`created ${apiKey.role} key ${apiKey.id} for "${apiKey.name}". The key (shown once):`);
        process.stdout.write(`${key}\n`);
        log('Send it as: Authorization: Bearer <key>');
      } finally {
        await conn.close();
      }
    }),
  );

program
  .command('keys:list')
  .description('List the API keys (id, role, name, created, revoked); never their secrets.')
  .action(() =>
    run(async () => {
      const conn = await connect(loadConfig(), log);
      try {
        const rows = (await conn.db().read(LIST_KEYS)).map((r) => keyView(r.key));
        if (!rows.length) log('no API keys');
        for (const k of rows)
          process.stdout.write(
            `${k.id}\t${k.role}\t${k.name}\tcreated ${k.createdAt} by ${k.createdBy}${k.revokedAt ? `\tREVOKED ${k.revokedAt}` : ''}\n`,
          );
      } finally {
        await conn.close();
      }
    }),
  );

program
  .command('keys:revoke <id>')
  .description('Revoke an API key at once (it stays on record, marked revoked).')
  .requiredOption('--reason <reason>', 'why (kept in the audit log)')
  .action((id: string, opts: { reason: string }) =>
    run(async () => {
      const conn = await connect(loadConfig(), log);
      try {
        const { apiKey: k } = await revokeApiKey(
          { db: conn.db(), principal: cliPrincipal() },
          { id, reason: opts.reason },
        );
        log(`revoked ${k.id} ("${k.name}") at ${k.revokedAt}`);
      } finally {
        await conn.close();
      }
    }),
  );

program
  .command('report')
  .description(
    'The case report as Markdown on stdout: ranking with its explanation, ACH matrix, the consensus over time, timeline, every source with its reliability.',
  )
  .requiredOption('--incident <id>', 'the incident, e.g. sony-pictures-2014')
  .option('--as-of <date>', 'replay the record at the end of this day (YYYY-MM-DD)')
  .action((opts: { incident: string; asOf?: string }) =>
    run(async () => {
      if (opts.asOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(opts.asOf))
        throw new Error(`--as-of: must be a date as YYYY-MM-DD, got "${opts.asOf}"`);
      const config = loadConfig();
      const conn = await connect(config, log);
      try {
        process.stdout.write(
          await buildReport(conn.db(), config, opts.incident, opts.asOf ?? null),
        );
      } finally {
        await conn.close();
      }
    }),
  );

registerStixCommands(program, run, log);

void program.parseAsync(process.argv);
