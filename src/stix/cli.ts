import fs from 'node:fs';
import { exportClaimsCsv, exportJsonl } from '../export';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { loadConfig } from '../config';
import { connect, migrate } from '../db';
import { exportStix } from './export';
import { ImportProgress, ImportReport, importStix } from './import';
import { StixFormatError } from './reader';

/** Exit code for input that is not a valid STIX bundle (nothing was imported). */
export const EXIT_BAD_INPUT = 2;

type Run = (fn: () => Promise<void>) => Promise<void>;
type Log = (line: string) => void;

/** A progress bar on stderr with rate and ETA, one per pass; silent unless stderr is a TTY. */
function progressBar(): { update(p: ImportProgress): void; stop(): void } {
  if (!process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar({
    stream: process.stderr,
    format:
      '{phase} [{bar}] {percentage}% | {value}/{total} {unit} | {rate}/s | ETA {eta_formatted}',
    hideCursor: true,
    etaBuffer: 50,
  });
  let phase = '';
  let started = 0;
  return {
    update(p) {
      const unit = p.phase === 'read' ? 'bytes' : 'objects';
      if (p.phase !== phase) {
        if (phase) bar.stop();
        phase = p.phase;
        started = Date.now();
        bar.start(p.total, 0, { phase: p.phase.padEnd(6), unit, rate: '0' });
      }
      const secs = Math.max((Date.now() - started) / 1000, 0.001);
      bar.update(p.done, { rate: String(Math.round(p.done / secs)) });
    },
    stop() {
      if (phase) bar.stop();
    },
  };
}

/** The import report as lines of text. */
export function formatReport(r: ImportReport): string {
  const lines = [
    `STIX import: ${r.read} object(s) read from ${r.files.length} file(s) in ${(r.ms / 1000).toFixed(1)} s`,
    `  import ${r.importId}${r.trusted ? ' (trusted: --trust)' : ''}; ${r.inputs.map((f) => `${f.name} sha256 ${f.sha256}`).join(', ')}`,
    `  coverage: ${r.coverage.mapped} mapped into the model, ${r.coverage.kept} kept as StixObject, ${r.coverage.dropped} dropped (${(r.coverage.ratio * 100).toFixed(2)}%); ${r.nativeLinksRefused} link(s) to native nodes refused`,
    `  created ${r.created}, updated ${r.updated}, unchanged ${r.unchanged}, skipped ${r.skipped}; derived nodes created ${r.derived.created}, updated ${r.derived.updated}; ${r.dbUpdates} database update(s)`,
    '  by type (read / created / updated / unchanged / skipped):',
    ...Object.entries(r.byType).map(
      ([t, c]) =>
        `    ${t.padEnd(34)} ${[c.read, c.created, c.updated, c.unchanged, c.skipped].map((n) => String(n).padStart(6)).join(' ')}`,
    ),
    `  warnings: ${r.warnings.total}`,
    ...Object.entries(r.warnings.byKind).map(([k, n]) => `    ${String(n).padStart(6)}  ${k}`),
  ];
  return lines.join('\n') + '\n';
}

/** Adds `import` and `export` to the command-line tool. */
export function registerStixCommands(program: Command, run: Run, log: Log): void {
  program
    .command('import')
    .description(
      'Import STIX 2.0/2.1 bundles, streamed. Every file is validated first: if one is malformed, nothing is imported. Idempotent by STIX id. Without --trust an import only adds: it never changes or links to existing (native) nodes.',
    )
    .argument('<files...>', 'bundle files; "-" reads one bundle from stdin')
    .option('--batch-size <n>', 'objects per write transaction', '2000')
    .option(
      '--trust',
      "the bundle is this tool's own export: honour its ids and let it add to existing (native) nodes",
    )
    .option('--json', 'print the report as JSON instead of text')
    .addHelpText(
      'after',
      `\nExit codes: 0 imported, ${EXIT_BAD_INPUT} malformed bundle or unreadable file (nothing imported), 1 other error.\nThe report goes to stdout; a progress bar goes to stderr when it is a terminal.`,
    )
    .action((files: string[], opts: { batchSize: string; json?: boolean; trust?: boolean }) =>
      run(async () => {
        const batchSize = Number(opts.batchSize);
        if (!Number.isInteger(batchSize) || batchSize < 1)
          throw new Error('--batch-size must be a positive integer');
        for (const f of files)
          if (f !== '-' && !fs.existsSync(f)) {
            log(`error: no such file: ${f}`);
            process.exitCode = EXIT_BAD_INPUT;
            return;
          }
        const conn = await connect(loadConfig(), log);
        const bar = progressBar();
        try {
          await migrate(conn.db());
          const report = await importStix(conn.db(), files, {
            batchSize,
            trust: opts.trust === true,
            onProgress: (p) => bar.update(p),
          });
          bar.stop();
          process.stdout.write(
            opts.json ? JSON.stringify(report, null, 2) + '\n' : formatReport(report),
          );
        } catch (err) {
          bar.stop();
          if (!(err instanceof StixFormatError)) throw err;
          log(`error: ${err.message} (nothing imported)`);
          process.exitCode = EXIT_BAD_INPUT;
        } finally {
          await conn.close();
        }
      }),
    );

  program
    .command('export')
    .description(
      'Export the record: an incident (or every incident) as a STIX 2.1 bundle (default), every node and relationship as JSON Lines, or every claim as CSV.',
    )
    .option(
      '--format <format>',
      'stix (default), jsonl (every node and relationship) or csv (claims)',
      'stix',
    )
    .option('--incident <id>', 'incident id, for --format stix (default: every incident)')
    .option('--out <file>', 'write to this file (default: stdout)')
    .addHelpText(
      'after',
      '\nExit codes: 0 exported, 1 error (e.g. no such incident), 2 bad arguments.',
    )
    .action((opts: { incident?: string; out?: string; format: string }) =>
      run(async () => {
        if (!['stix', 'jsonl', 'csv'].includes(opts.format)) {
          log(`export: --format must be stix, jsonl or csv, not "${opts.format}"`);
          process.exitCode = EXIT_BAD_INPUT;
          return;
        }
        const conn = await connect(loadConfig(), log);
        try {
          if (opts.format !== 'stix') {
            const out = opts.out ? fs.createWriteStream(opts.out) : process.stdout;
            const what =
              opts.format === 'jsonl'
                ? await exportJsonl(conn.db(), out)
                : { claims: await exportClaimsCsv(conn.db(), out) };
            if (opts.out)
              await new Promise<void>((ok, ko) =>
                (out as fs.WriteStream).end((e?: Error | null) => (e ? ko(e) : ok())),
              );
            log(`export: ${JSON.stringify(what)}${opts.out ? ` written to ${opts.out}` : ''}`);
            return;
          }
          const bundle = await exportStix(conn.db(), { incident: opts.incident });
          const text = JSON.stringify(bundle, null, 2) + '\n';
          if (opts.out) {
            fs.writeFileSync(opts.out, text);
            log(`export: ${bundle.objects.length} object(s) written to ${opts.out}`);
          } else process.stdout.write(text);
        } finally {
          await conn.close();
        }
      }),
    );
}
