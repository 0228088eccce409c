// Encrypt File / Decrypt File on several files at once (an Explorer multi-selection): which output
// each file gets, the selections refused before anything is written, overall progress, and how the
// files are named in messages. No vscode: unit-tested on its own.
import * as path from 'node:path';

export interface FileJob {
  src: string;
  dest: string;
  /** Bytes, for overall progress. */
  size: number;
}

/**
 * One job per distinct source, in the order given; or the reason the selection is refused: two
 * files that would write the same output, or an output that is itself one of the selected files
 * (it would be replaced while waiting its turn).
 */
export function planFileJobs(
  sources: readonly { path: string; size: number }[],
  destFor: (src: string) => string,
): FileJob[] | string {
  const seen = new Set<string>();
  const jobs: FileJob[] = [];
  for (const s of sources) {
    if (seen.has(s.path)) continue;
    seen.add(s.path);
    jobs.push({ src: s.path, dest: destFor(s.path), size: s.size });
  }
  const byDest = new Map<string, string>();
  for (const j of jobs) {
    if (seen.has(j.dest))
      return `${path.basename(j.dest)} is selected, and it is also where ${path.basename(j.src)} would be written; select one of them.`;
    const other = byDest.get(j.dest);
    if (other)
      return `${path.basename(other)} and ${path.basename(j.src)} would both be written to ${path.basename(j.dest)}.`;
    byDest.set(j.dest, j.src);
  }
  return jobs;
}

/**
 * For a run of `jobs`: the percent (0–100) of all their bytes once job `index` has read `read` of its
 * own. Totals are summed once here, not on every chunk read.
 */
export function progressOf(jobs: readonly FileJob[]): (index: number, read: number) => number {
  const before: number[] = [];
  let total = 0;
  for (const j of jobs) {
    before.push(total);
    total += j.size;
  }
  // Only empty files: counted by file.
  if (total <= 0) return (index, read) => Math.floor(((index + (read > 0 ? 1 : 0)) / Math.max(jobs.length, 1)) * 100);
  return (index, read) =>
    Math.min(100, Math.floor(((before[index] + Math.min(read, jobs[index]?.size ?? 0)) / total) * 100));
}

/** "a.txt", "a.txt and b.txt", "a.txt, b.txt and c.txt", "a.txt, b.txt and 3 more" (base names). */
export function nameFiles(files: readonly string[], shown = 3): string {
  const names = files.map((f) => path.basename(f));
  if (names.length <= 1) return names[0] ?? '';
  if (names.length <= shown) return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  return `${names.slice(0, shown - 1).join(', ')} and ${names.length - (shown - 1)} more`;
}
