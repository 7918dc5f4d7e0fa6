import path from 'node:path';
import { ROOT } from '../config';
import type { Db } from '../db';
import { readSeed } from './read';
import { SeedReport, writeSeed } from './write';

export { emptySeed, readSeed, SeedError } from './read';
export type { SeedData, SeedProblem } from './read';
export { writeSeed, toGraph, likelihoodRatings } from './write';
export type { SeedReport } from './write';

/** The seed tree shipped with the project. */
export const SEED_DIR = path.join(ROOT, 'seed');

/** Validates the seed tree at `dir`, then loads it in one transaction (nothing on any error). */
export async function loadSeed(db: Db, dir = SEED_DIR): Promise<SeedReport> {
  return writeSeed(db, readSeed(dir));
}
