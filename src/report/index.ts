import { execute, parse } from 'graphql';
import type { Config } from '../config';
import type { Db } from '../db';
import { createContext } from '../graph/context';
import { buildSchema } from '../server/schema';
import { reportMarkdown } from './markdown';
import { REPORT_QUERY, type ReportData } from './query';

export { REPORT_QUERY, TECHNICAL_GROUPS, citedSources, observedArtifacts } from './query';
export type { ReportData, ReportObserved, ReportSource } from './query';
export { reportMarkdown } from './markdown';

/** Runs the report's operation in-process (no HTTP) and returns its data; throws on errors. */
export async function reportData(
  db: Db,
  config: Config,
  incident: string,
  asOf: string | null,
): Promise<ReportData> {
  const result = await execute({
    schema: buildSchema(),
    document: parse(REPORT_QUERY),
    variableValues: { id: incident, asOf },
    contextValue: createContext(db, config),
  });
  if (result.errors?.length) throw new Error(result.errors.map((e) => e.message).join('; '));
  const data = result.data as unknown as ReportData;
  if (!data.incident) throw new Error(`no incident with id "${incident}"`);
  return data;
}

/** `attribution report`: the case report as Markdown. */
export async function buildReport(
  db: Db,
  config: Config,
  incident: string,
  asOf: string | null,
): Promise<string> {
  return reportMarkdown(
    await reportData(db, config, incident, asOf),
    new Date().toISOString().slice(0, 10),
  );
}
