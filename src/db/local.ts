import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ROOT } from '../config';
import { createDriver } from './driver';

/**
 * The project's own Neo4j 5.26 Community, for machines without Docker or a server: the embedded
 * DBMS with its Bolt connector (db/launcher), built from Maven Central with the machine's JDK and
 * Maven on first use, bound to 127.0.0.1, data and log in a git-ignored folder.
 */
export interface LocalNeo4jOptions {
  /** Folder for data, pid file and log (git-ignored `.neo4j/<name>`). */
  home: string;
  port: number;
  /**
   * The password to set; by default the random one kept in `home`/password (made on first start,
   * mode 0600). Either way it reaches the launcher through that file, never the command line.
   */
  password?: string;
  /** JVM heap (-Xmx), e.g. `1g` (default). */
  heap?: string;
  /** Neo4j page cache, e.g. `256m` (default). */
  pagecache?: string;
  /** Called with progress lines for a person watching (stderr by default). */
  log?: (line: string) => void;
}

export interface LocalNeo4j {
  uri: string;
  pid: number;
  /** True when this call started the process (so its caller should stop it). */
  started: boolean;
  logFile: string;
}

const LAUNCHER = path.join(ROOT, 'db', 'launcher');
const CLASSPATH = path.join(LAUNCHER, 'target', 'classpath.txt');
const CLASSES = path.join(LAUNCHER, 'target', 'classes');
const BUILD_STAMP = path.join(LAUNCHER, 'target', 'build.stamp');

function defaultLog(line: string): void {
  process.stderr.write(`[neo4j-local] ${line}\n`);
}

/** Builds the launcher when missing or when its sources changed (first run downloads ~150 MB). */
export function buildLauncher(log: (line: string) => void = defaultLog): void {
  const sources = [
    path.join(LAUNCHER, 'pom.xml'),
    path.join(LAUNCHER, 'src', 'main', 'java', 'attribution', 'Neo4jLocal.java'),
  ];
  const stamp = fs.existsSync(BUILD_STAMP) ? fs.statSync(BUILD_STAMP).mtimeMs : 0;
  if (fs.existsSync(CLASSPATH) && sources.every((s) => fs.statSync(s).mtimeMs <= stamp)) return;
  for (const tool of ['java', 'mvn']) {
    const probe = spawnSync(tool, ['-version'], { stdio: 'ignore' });
    if (probe.error) {
      throw new Error(
        `No NEO4J_URI is set, so the project starts its own Neo4j, which needs '${tool}' (JDK 17+ and Maven) on the PATH. ` +
          'Install them, or set NEO4J_URI to a running Neo4j 5, or use `docker compose up`.',
      );
    }
  }
  log(
    'building the local Neo4j 5.26 launcher with Maven (first run downloads the artifacts; later starts are quick)...',
  );
  const res = spawnSync('mvn', ['-B', '-q', '-f', path.join(LAUNCHER, 'pom.xml'), 'compile'], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (res.status !== 0)
    throw new Error(
      `Maven could not build db/launcher (exit ${res.status}); see the output above.`,
    );
  fs.writeFileSync(BUILD_STAMP, new Date().toISOString());
}

/** Where the local Neo4j's password is kept, beside its data (mode 0600). */
export function passwordFile(home: string): string {
  return path.join(home, 'password');
}

/**
 * The local Neo4j's password: read from `home`/password, or made at random (24 bytes, base64url)
 * and stored there with mode 0600 on first use; the folder itself is made private (0700).
 */
export function localPassword(home: string): string {
  const file = passwordFile(home);
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    fs.mkdirSync(home, { recursive: true, mode: 0o700 });
    fs.chmodSync(home, 0o700);
    const password = randomBytes(24).toString('base64url');
    fs.writeFileSync(file, `${password}\n`, { mode: 0o600, flag: 'wx' });
    return password;
  }
}

/** Stores `password` as the local Neo4j's password (mode 0600). */
function storePassword(home: string, password: string): void {
  fs.mkdirSync(home, { recursive: true, mode: 0o700 });
  fs.writeFileSync(passwordFile(home), `${password}\n`, { mode: 0o600 });
  fs.chmodSync(passwordFile(home), 0o600);
}

function pidFile(home: string): string {
  return path.join(home, 'neo4j.pid');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function readPid(home: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(pidFile(home), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 && alive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function portInUse(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ port, host });
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}

async function waitForBolt(
  uri: string,
  password: string,
  pid: number,
  logFile: string,
  timeoutMs: number,
  /** A process just started: it sets the password after Bolt opens, so a refusal is retried. */
  starting = false,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const driver = createDriver(uri, { NEO4J_USER: 'neo4j', NEO4J_PASSWORD: password });
  try {
    for (;;) {
      if (!alive(pid))
        throw new Error(
          `The local Neo4j exited during start-up. Last lines of ${logFile}:\n${tail(logFile)}`,
        );
      try {
        await driver.verifyConnectivity();
        return;
      } catch (err) {
        if (
          !starting &&
          (err as { code?: string }).code === 'Neo.ClientError.Security.Unauthorized'
        )
          throw new WrongPassword(uri);
        if (Date.now() > deadline)
          throw new Error(
            `The local Neo4j did not answer on ${uri} within ${timeoutMs / 1000}s: ${String(err)}`,
          );
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  } finally {
    await driver.close();
  }
}

/** The Neo4j answered, but not to this password (it was started with another one). */
class WrongPassword extends Error {
  constructor(uri: string) {
    super(`The Neo4j on ${uri} refused the stored password.`);
  }
}

function tail(file: string, lines = 20): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Starts the local Neo4j in the background (or reuses the one already running from the same
 * folder) and waits until Bolt answers. Its process outlives this one until {@link stopLocalNeo4j}.
 */
export async function startLocalNeo4j(opts: LocalNeo4jOptions): Promise<LocalNeo4j> {
  const log = opts.log ?? defaultLog;
  const uri = `bolt://127.0.0.1:${opts.port}`;
  fs.mkdirSync(opts.home, { recursive: true, mode: 0o700 });
  const logFile = path.join(opts.home, 'neo4j.log');
  const running = readPid(opts.home);
  const password = opts.password ?? localPassword(opts.home);
  if (running) {
    try {
      await waitForBolt(uri, password, running, logFile, 60_000);
      return { uri, pid: running, started: false, logFile };
    } catch (err) {
      if (!(err instanceof WrongPassword)) throw err;
      // Started before it had a random password (or with another one): restart it, which sets
      // the stored password (the launcher writes it into the system database at start).
      log('the running local Neo4j has another password; restarting it with the stored one...');
      await stopLocalNeo4j(opts.home, log);
    }
  }
  if (await portInUse(opts.port)) {
    throw new Error(
      `Port ${opts.port} is already in use by another program, so the local Neo4j cannot start there. ` +
        'Stop that program, set NEO4J_LOCAL_PORT to a free port, or point NEO4J_URI at that server if it is a Neo4j.',
    );
  }
  buildLauncher(log);
  if (opts.password !== undefined) storePassword(opts.home, opts.password);
  const t0 = Date.now();
  log(
    `starting Neo4j 5.26 on ${uri} (data in ${path.relative(ROOT, opts.home) || opts.home}, log in ${path.relative(ROOT, logFile)})...`,
  );
  const out = fs.openSync(logFile, 'a');
  const classpath = `${CLASSES}${path.delimiter}${fs.readFileSync(CLASSPATH, 'utf8').trim()}`;
  const child = spawn(
    'java',
    [
      '-Xms256m',
      `-Xmx${opts.heap ?? '1g'}`,
      '-XX:+UseG1GC',
      '-cp',
      classpath,
      'attribution.Neo4jLocal',
      '--home',
      opts.home,
      '--port',
      String(opts.port),
      '--password-file',
      passwordFile(opts.home),
      '--pagecache',
      opts.pagecache ?? '256m',
    ],
    { detached: true, stdio: ['ignore', out, out] },
  );
  fs.closeSync(out);
  if (!child.pid) throw new Error('Could not spawn java for the local Neo4j.');
  child.unref();
  fs.writeFileSync(pidFile(opts.home), String(child.pid));
  await waitForBolt(uri, password, child.pid, logFile, 180_000, true);
  log(`Neo4j ready in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  return { uri, pid: child.pid, started: true, logFile };
}

/** Stops the local Neo4j running from `home`, waiting until its process is gone. */
export async function stopLocalNeo4j(
  home: string,
  log: (line: string) => void = defaultLog,
): Promise<boolean> {
  const pid = readPid(home);
  if (!pid) return false;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 60_000;
  while (alive(pid)) {
    if (Date.now() > deadline) {
      log(`Neo4j (pid ${pid}) did not stop within 60s; killing it.`);
      process.kill(pid, 'SIGKILL');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  fs.rmSync(pidFile(home), { force: true });
  return true;
}
