// Durable file writes (temporary file, fsync, rename, fsync of the directory), for the identity file and the
// migration of per-record folders into the journal (journal.ts). Files are created 0600.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export const FILE_MODE = 0o600;
export const DIR_MODE = 0o700;

export async function ensureDir(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true, mode: DIR_MODE });
}

export async function fsyncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export const isTempFile = (name: string) => name.includes('.tmp-');

/** Writes every file's new content (or removes it when content is null) durably; directories synced once each. */
export async function writeFilesDurably(files: ReadonlyArray<{ file: string; content: string | null }>): Promise<void> {
  const renames: Array<{ tmp: string; file: string }> = [];
  const removals: string[] = [];
  await Promise.all(
    files.map(async ({ file, content }) => {
      if (content === null) {
        removals.push(file);
        return;
      }
      const tmp = `${file}.tmp-${randomBytes(6).toString('hex')}`;
      const handle = await fs.open(tmp, 'wx', FILE_MODE);
      try {
        await handle.writeFile(content, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      renames.push({ tmp, file });
    }),
  );
  for (const { tmp, file } of renames) await fs.rename(tmp, file);
  for (const file of removals) await fs.rm(file, { force: true });
  const dirs = new Set(files.map(({ file }) => path.dirname(file)));
  await Promise.all([...dirs].map(fsyncDir));
}

/** JSON.parse that names the file when it fails, so a damaged store says which file to look at. */
export function parseJson<T>(file: string, text: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new Error(
      `The sandbox store file ${file} is damaged (${(err as Error).message}); move it away to start without it.`,
    );
  }
}

export async function readJsonFiles<T>(dir: string): Promise<T[]> {
  const names = await fs.readdir(dir);
  const out: T[] = [];
  const stale: string[] = [];
  const batch = 64;
  for (let i = 0; i < names.length; i += batch) {
    const slice = names.slice(i, i + batch);
    await Promise.all(
      slice.map(async (name) => {
        const file = path.join(dir, name);
        if (isTempFile(name)) {
          stale.push(file);
          return;
        }
        if (!name.endsWith('.json')) return;
        out.push(parseJson<T>(file, await fs.readFile(file, 'utf8')));
      }),
    );
  }
  // Leftovers of a write interrupted before its rename: never acknowledged, safe to drop.
  await Promise.all(stale.map((f) => fs.rm(f, { force: true })));
  return out;
}
