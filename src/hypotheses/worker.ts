import type { CriticalItemResult } from '../analysis';
import { BundleRow, Exclude, leaveOneOut } from './service';

/** The worker thread's task (./pool.ts): leave-one-out over one incident's bundle. */
export default function task(input: {
  rows: BundleRow[];
  day: string | null;
  exclude?: Exclude | null;
}): CriticalItemResult[] {
  return leaveOneOut(input.rows, input.day, input.exclude);
}
