// Starts test/oidc/provider.mjs (a real OpenID provider, `oidc-provider`) in its own process for a
// test: the issuer on 127.0.0.1:<port>, the explorer's public client with one redirect URI.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { ROOT } from '../../src/config';

export const CLIENT_ID = 'attribution-explorer';
export const AUDIENCE = 'urn:attribution:api';

export interface TestProvider {
  issuer: string;
  stop(): void;
}

/** A port free right now on 127.0.0.1 (asked of the OS), for a provider whose issuer URL must be known first. */
export function freePort(): number {
  return Number(
    execFileSync(process.execPath, [
      '-e',
      "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})",
    ]).toString(),
  );
}

/** Starts the provider and resolves once it listens. */
export async function startProvider(
  port: number,
  redirectUri: string,
  audience = AUDIENCE,
): Promise<TestProvider> {
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(ROOT, 'test', 'oidc', 'provider.mjs'), String(port), redirectUri, audience],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`oidc-provider exited (${code})`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('READY')) resolve();
    });
  });
  return {
    issuer: `http://127.0.0.1:${port}`,
    stop: () => {
      if (child.pid) child.kill('SIGTERM');
    },
  };
}
