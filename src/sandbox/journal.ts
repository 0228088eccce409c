// The storage engine under a Store: an append-only journal of CRC-framed records (frames.ts) plus periodic snapshots,
// generic over what a record holds (the store writes one `Change[]` per record, so a multi-record change is atomic).
//
//   journal-<gen>.log    records appended since snapshot <gen> (or since the folder was new)
//   snapshot-<gen>.snap  the whole state at the start of journal <gen>, written to a .tmp file, fsynced, renamed
//
// Group commit: appends queue while a write is in progress; the next write takes the whole queue as one write and one
// fdatasync, and only then are their promises resolved, so an acknowledged record survives kill -9. Loading replays
// the newest snapshot and the journals after it; a torn or damaged tail is cut off (and kept aside in a .damaged file)
// and everything before it loads. When the journal has grown past the last snapshot's size (at least `snapshotMinBytes`),
// a new journal starts and the state at that moment is written as the next snapshot, after which older files go.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ensureDir, FILE_MODE, fsyncDir } from './fsutil';
import { frame, scanFrames } from './frames';

export interface JournalOptions {
  /** The journal grows to at least this many bytes before a snapshot is written (default 8 MiB). */
  snapshotMinBytes?: number;
  log?: (line: string) => void;
}

const JOURNAL_RE = /^journal-(\d{9})\.log$/;
const SNAPSHOT_RE = /^snapshot-(\d{9})\.snap$/;
const journalName = (gen: number) => `journal-${String(gen).padStart(9, '0')}.log`;
const snapshotName = (gen: number) => `snapshot-${String(gen).padStart(9, '0')}.snap`;

interface Queued {
  bytes: Buffer;
  /** The record's number (1, 2, …, over the journal's life in this process); 0 for a rotation marker. */
  seq: number;
  /** A marker, not a record: the journal continues in generation `rotateTo` from here. */
  rotateTo?: number;
  resolve(): void;
  reject(err: Error): void;
}

/** Where the files of a journal folder stand after loading it. */
interface Layout {
  existed: boolean;
  /** Generation of the journal appended to. */
  gen: number;
  /** Bytes in the current journal. */
  size: number;
  /** Bytes of every journal since the newest snapshot. */
  sinceSnapshot: number;
  snapshotBytes: number;
}

export class Journal<T> {
  private queue: Queued[] = [];
  private flushing = false;
  private handle: fs.FileHandle | undefined;
  private failure: Error | undefined;
  private last: Promise<void> = Promise.resolve();
  private unsettled = 0;
  /** Records appended, and the number of the last one known to be on disk (never reset, even by `reload`). */
  private appendedSeq = 0;
  private durableSeq = 0;
  /** The promise of each record still on its way to disk, by number. */
  private readonly pending = new Map<number, Promise<void>>();
  private snapshotting = false;
  private readonly minBytes: number;

  private constructor(
    readonly dir: string,
    private layout: Layout,
    private readonly opts: JournalOptions,
  ) {
    this.minBytes = opts.snapshotMinBytes ?? 8 * 1024 * 1024;
  }

  /** Opens (creating if needed) the journal in `dir`, calling `replay` with every stored record in order. */
  static async open<T>(dir: string, replay: (record: T) => void, opts: JournalOptions = {}): Promise<Journal<T>> {
    await ensureDir(dir);
    const journal = new Journal<T>(dir, await load(dir, replay, opts.log), opts);
    await journal.openCurrent();
    return journal;
  }

  /** Whether the folder held a journal or snapshot before this open. */
  get existed(): boolean {
    return this.layout.existed;
  }

  /** Replays the folder again (after a failed write was cut off), so memory matches the disk. */
  async reload(replay: (record: T) => void): Promise<void> {
    await this.handle?.close();
    this.handle = undefined;
    this.layout = await load(this.dir, replay, this.opts.log);
    await this.openCurrent();
    this.failure = undefined;
  }

  private async openCurrent(): Promise<void> {
    const file = path.join(this.dir, journalName(this.layout.gen));
    const created = this.layout.size === 0;
    this.handle = await fs.open(file, 'a', FILE_MODE);
    if (created) await fsyncDir(this.dir);
  }

  /** Appends one record; resolves once it is on disk (with whatever else was queued in the meantime). */
  append(record: T): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const bytes = frame(JSON.stringify(record));
    const seq = ++this.appendedSeq;
    this.unsettled++;
    const done = new Promise<void>((resolve, reject) => this.queue.push({ bytes, seq, resolve, reject })).finally(
      () => {
        this.unsettled--;
        this.pending.delete(seq);
      },
    );
    this.pending.set(seq, done);
    this.last = done;
    if (!this.flushing) void this.flush();
    return done;
  }

  /** The promise of the last record appended while any is still on its way to disk; undefined when all are there. */
  settled(): Promise<void> | undefined {
    return this.unsettled > 0 ? this.last : undefined;
  }

  /** The number of the last record appended: whatever a reader sees now is on disk once `settledThrough` it. */
  get appended(): number {
    return this.appendedSeq;
  }

  /** The promise of record `seq` and every one before it reaching the disk; undefined when they are there. */
  settledThrough(seq: number): Promise<void> | undefined {
    if (seq <= this.durableSeq || this.unsettled === 0) return undefined;
    return this.pending.get(seq) ?? this.last;
  }

  /** The error that stopped appends (they are refused until `reload`). */
  get failed(): Error | undefined {
    return this.failure;
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.queue.length) {
      // Everything queued up to a rotation marker goes to the current journal in one write and one fdatasync.
      const cut = this.queue.findIndex((q) => q.rotateTo !== undefined);
      const batch = cut < 0 ? this.queue : this.queue.slice(0, cut);
      const rotation = cut < 0 ? undefined : this.queue[cut];
      this.queue = cut < 0 ? [] : this.queue.slice(cut + 1);
      try {
        if (this.failure) throw this.failure;
        if (batch.length) {
          const bytes = batch.length === 1 ? batch[0].bytes : Buffer.concat(batch.map((q) => q.bytes));
          await writeAll(this.handle as fs.FileHandle, bytes);
          await (this.handle as fs.FileHandle).datasync();
          this.layout.size += bytes.length;
          this.layout.sinceSnapshot += bytes.length;
          this.durableSeq = batch[batch.length - 1].seq;
        }
        for (const q of batch) q.resolve();
        if (rotation) {
          await this.handle?.close();
          this.layout = { ...this.layout, gen: rotation.rotateTo as number, size: 0 };
          await this.openCurrent();
          rotation.resolve();
        }
      } catch (err) {
        await this.fail(err as Error);
        for (const q of batch) q.reject(this.failure as Error);
        rotation?.reject(this.failure as Error);
      }
    }
    this.flushing = false;
  }

  /** Cuts the journal back to its last whole record and refuses appends until `reload`. */
  private async fail(err: Error): Promise<void> {
    this.failure ??= new Error(`the sandbox store could not be written: ${err.message}`);
    this.opts.log?.(`store ${this.dir}: ${this.failure.message}`);
    await this.handle?.truncate(this.layout.size).catch(() => undefined);
  }

  /**
   * Call after each append with the whole current state as records: when the journal has outgrown the last
   * snapshot, the records appended so far close the current journal, and `state` is written as the next snapshot.
   */
  maybeSnapshot(state: () => T[]): void {
    const due = Math.max(this.minBytes, this.layout.snapshotBytes);
    if (this.snapshotting || this.failure || this.layout.sinceSnapshot < due) return;
    this.snapshotting = true;
    const gen = this.layout.gen + 1;
    const records = state();
    const rotated = new Promise<void>((resolve, reject) =>
      this.queue.push({ bytes: Buffer.alloc(0), seq: 0, rotateTo: gen, resolve, reject }),
    );
    rotated.catch(() => undefined); // writeSnapshot awaits it later; a failure is reported there
    if (!this.flushing) void this.flush();
    void this.writeSnapshot(gen, records, rotated).finally(() => (this.snapshotting = false));
  }

  private async writeSnapshot(gen: number, records: T[], rotated: Promise<void>): Promise<void> {
    try {
      // Only over a journal whose records all reached the disk: a snapshot never holds a refused change.
      this.layout.snapshotBytes = await writeSnapshotFile(this.dir, gen, records, rotated);
      this.layout.sinceSnapshot = this.layout.size;
      await removeBefore(this.dir, gen);
    } catch (err) {
      this.opts.log?.(
        `store ${this.dir}: snapshot not written (${(err as Error).message}); the journal keeps everything`,
      );
    }
  }

  /** Waits for queued records and a snapshot in progress, then closes the file. */
  async close(): Promise<void> {
    await this.last.catch(() => undefined);
    while (this.snapshotting || this.flushing) await new Promise((r) => setTimeout(r, 5));
    await this.handle?.close();
    this.handle = undefined;
  }
}

/**
 * Writes `records` as snapshot `gen` of `dir`: a .tmp file, fsynced, renamed (once `before` resolves), and the folder
 * fsynced, so the snapshot exists whole or not at all. Returns its size.
 */
export async function writeSnapshotFile<T>(
  dir: string,
  gen: number,
  records: T[],
  before?: Promise<void>,
): Promise<number> {
  const file = path.join(dir, snapshotName(gen));
  const tmp = `${file}.tmp`;
  let bytes = 0;
  try {
    const handle = await fs.open(tmp, 'w', FILE_MODE);
    try {
      for (const record of records) {
        const chunk = frame(JSON.stringify(record));
        await writeAll(handle, chunk);
        bytes += chunk.length;
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    await before;
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
  await fsyncDir(dir);
  return bytes;
}

async function writeAll(handle: fs.FileHandle, bytes: Buffer): Promise<void> {
  let off = 0;
  while (off < bytes.length) off += (await handle.write(bytes, off, bytes.length - off)).bytesWritten;
}

/** Removes journals and snapshots older than generation `gen` (snapshot `gen` holds all they did). */
async function removeBefore(dir: string, gen: number): Promise<void> {
  for (const name of await fs.readdir(dir)) {
    const m = JOURNAL_RE.exec(name) ?? SNAPSHOT_RE.exec(name);
    if (m && Number(m[1]) < gen) await fs.rm(path.join(dir, name), { force: true });
  }
}

/** Replays the newest snapshot and the journals after it; cuts off a damaged tail. */
async function load<T>(dir: string, replay: (record: T) => void, log?: (line: string) => void): Promise<Layout> {
  const names = await fs.readdir(dir);
  const gens = (re: RegExp) =>
    names.flatMap((n) => (re.exec(n) ? [Number((re.exec(n) as RegExpExecArray)[1])] : [])).sort((a, b) => a - b);
  for (const n of names) if (n.endsWith('.snap.tmp')) await fs.rm(path.join(dir, n), { force: true });
  const snapshots = gens(SNAPSHOT_RE);
  const base = snapshots.at(-1) ?? 0;
  const parse = (file: string) => (payload: Buffer) => {
    let record: T;
    try {
      record = JSON.parse(payload.toString('utf8')) as T;
    } catch (err) {
      throw new Error(
        `The sandbox store file ${file} is damaged (${(err as Error).message}); move it away to start without it.`,
      );
    }
    replay(record);
  };
  let snapshotBytes = 0;
  if (snapshots.length) {
    const file = path.join(dir, snapshotName(base));
    const scan = await scanFrames(file, parse(file));
    if (scan.damagedBytes)
      throw new Error(
        `The sandbox store file ${file} is damaged (at byte ${scan.validBytes}); move it away to start without it.`,
      );
    snapshotBytes = scan.validBytes;
  }
  const journals = gens(JOURNAL_RE).filter((g) => g >= base);
  let size = 0;
  let sinceSnapshot = 0;
  let gen = Math.max(base, 1);
  for (const [i, g] of journals.entries()) {
    const file = path.join(dir, journalName(g));
    const scan = await scanFrames(file, parse(file));
    gen = g;
    size = scan.validBytes;
    sinceSnapshot += scan.validBytes;
    if (!scan.damagedBytes) continue;
    // A torn tail (a crash mid-write: never acknowledged) or damage: keep what was whole, set the rest aside.
    const aside = `${file}.damaged-${Date.now()}`;
    const all = await fs.readFile(file);
    await fs.writeFile(aside, all.subarray(scan.validBytes), { mode: FILE_MODE });
    await fs.truncate(file, scan.validBytes);
    log?.(
      `store ${dir}: ${journalName(g)} ended in ${scan.damagedBytes} bytes that are not a whole record (a write cut short); loaded everything before them, kept them in ${path.basename(aside)}`,
    );
    for (const later of journals.slice(i + 1)) {
      await fs.rename(
        path.join(dir, journalName(later)),
        path.join(dir, `${journalName(later)}.damaged-${Date.now()}`),
      );
      log?.(`store ${dir}: ${journalName(later)} follows a damaged journal and was set aside`);
    }
    break;
  }
  await removeBefore(dir, base);
  return { existed: snapshots.length > 0 || journals.length > 0, gen, size, sinceSnapshot, snapshotBytes };
}

/** Whether `dir` holds a journal or a snapshot (false when it does not exist). */
export async function journalExists(dir: string): Promise<boolean> {
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  return names.some((n) => JOURNAL_RE.test(n) || SNAPSHOT_RE.test(n));
}
