// The audit trail: one event per request (time, operation, key, caller access key, outcome, error code) and per
// timed change the sandbox makes itself (automatic rotation, expiry of imported material). Never plaintext, key
// material, tokens or secrets: only the fields below exist.
//
// Recording is cheap: an event is appended to a batch in memory and the batch goes to disk a moment later in one
// append. The trail is JSON Lines in numbered segment files under audit/; when the current segment reaches its
// size limit a new one starts and the oldest beyond the count limit is removed, so the trail on disk stays bounded.
// Events are not fsynced one by one: a crash loses at most the last batch (about 100 ms). Key changes themselves
// are durable through the store, not through this trail.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ensureDir, FILE_MODE } from './fsutil';

export interface AuditEvent {
  /** Increasing number of the event in this store; pages of `read` continue before one. */
  seq: number;
  /** Epoch ms. */
  time: number;
  /** The KMS operation (X-Amz-Target name), or what the sandbox did by itself (RotateKey, DeleteExpiredKeyMaterial). */
  operation: string;
  keyId?: string;
  /** Access key id of the caller; 'kms' for changes the sandbox makes on its own. */
  caller?: string;
  /** ARN of the caller (root, IAM user, assumed-role session), when the request was authenticated. */
  principal?: string;
  outcome: 'ok' | 'error';
  /** The exception name when the outcome is error. */
  errorCode?: string;
}

export type NewAuditEvent = Omit<AuditEvent, 'seq' | 'outcome'>;

export interface AuditQuery {
  /** Only events about this key id. */
  keyId?: string;
  /** At most this many events (1–1000, default 100). */
  limit?: number;
  /** Only events older than this seq: pass the previous page's `nextBefore`. */
  before?: number;
}

export interface AuditPage {
  /** Newest first. */
  events: AuditEvent[];
  /** Set when older matching events may exist: the `before` of the next page. */
  nextBefore?: number;
}

export interface AuditLimits {
  /** A segment file is closed once it reaches this size (default 1 MiB). */
  segmentBytes: number;
  /** Segments kept; the oldest beyond this count is removed (default 8: at most ~8 MiB). */
  maxSegments: number;
  /** How long an event may wait in memory before its batch is written (ms, default 100). */
  flushDelayMs: number;
}

const DEFAULTS: AuditLimits = { segmentBytes: 1024 * 1024, maxSegments: 8, flushDelayMs: 100 };
const SEGMENT_RE = /^audit-(\d{9})\.jsonl$/;
const segmentName = (n: number) => `audit-${String(n).padStart(9, '0')}.jsonl`;

/** One event as a line on disk: short member names keep the trail small. */
interface Line {
  s: number;
  t: number;
  o: string;
  k?: string;
  c?: string;
  p?: string;
  e?: string;
}

const fromLine = (l: Line): AuditEvent => ({
  seq: l.s,
  time: l.t,
  operation: l.o,
  keyId: l.k,
  caller: l.c,
  principal: l.p,
  outcome: l.e === undefined ? 'ok' : 'error',
  errorCode: l.e,
});

export class AuditTrail {
  private pending: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private failed = false;

  private constructor(
    private readonly dir: string,
    private readonly limits: AuditLimits,
    private segments: number[],
    private currentBytes: number,
    private lastSeq: number,
  ) {}

  static async open(dir: string, limits: Partial<AuditLimits> = {}): Promise<AuditTrail> {
    await ensureDir(dir);
    const segments = (await fs.readdir(dir))
      .map((name) => SEGMENT_RE.exec(name))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b);
    let currentBytes = 0;
    let lastSeq = 0;
    const newest = segments.at(-1);
    if (newest !== undefined) {
      const text = await fs.readFile(path.join(dir, segmentName(newest)), 'utf8');
      currentBytes = Buffer.byteLength(text);
      const lines = parseLines(text);
      lastSeq = lines.at(-1)?.s ?? 0;
    } else {
      segments.push(1);
    }
    return new AuditTrail(dir, { ...DEFAULTS, ...limits }, segments, currentBytes, lastSeq);
  }

  /** Records an event; returns at once (the event is written with the next batch). */
  record(event: NewAuditEvent): void {
    const line: Line = { s: ++this.lastSeq, t: event.time, o: event.operation, k: event.keyId, c: event.caller, p: event.principal, e: event.errorCode };
    this.pending.push(JSON.stringify(line));
    if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.limits.flushDelayMs);
      this.timer.unref();
    }
  }

  /** Writes every recorded event to disk; resolves when they are there. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return this.writing;
    this.writing = this.writing.then(() => this.append(batch));
    return this.writing;
  }

  private async append(batch: string[]): Promise<void> {
    try {
      // A segment is closed once it has reached its size; one batch may take it a little past the limit.
      if (this.currentBytes >= this.limits.segmentBytes) await this.nextSegment();
      const text = batch.join('\n') + '\n';
      await fs.appendFile(path.join(this.dir, segmentName(this.segments.at(-1) as number)), text, { mode: FILE_MODE });
      this.currentBytes += Buffer.byteLength(text);
      this.failed = false;
    } catch {
      // The audit trail must never fail a request; a full or read-only disk only costs these events.
      this.failed = true;
    }
  }

  private async nextSegment(): Promise<void> {
    const next = (this.segments.at(-1) ?? 0) + 1;
    this.segments.push(next);
    this.currentBytes = 0;
    while (this.segments.length > this.limits.maxSegments) {
      const oldest = this.segments.shift() as number;
      await fs.rm(path.join(this.dir, segmentName(oldest)), { force: true });
    }
  }

  /** Whether the last write to disk failed (events were dropped). */
  get writeFailed(): boolean {
    return this.failed;
  }

  /** Recorded events, newest first, optionally only those of one key; pages continue with `before`. */
  async read(query: AuditQuery = {}): Promise<AuditPage> {
    const limit = Math.min(Math.max(Math.trunc(query.limit ?? 100), 1), 1000);
    await this.flush();
    const events: AuditEvent[] = [];
    for (let i = this.segments.length - 1; i >= 0; i--) {
      let text: string;
      try {
        text = await fs.readFile(path.join(this.dir, segmentName(this.segments[i])), 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw err;
      }
      const lines = parseLines(text);
      for (let j = lines.length - 1; j >= 0; j--) {
        const l = lines[j];
        if (query.before !== undefined && l.s >= query.before) continue;
        if (query.keyId !== undefined && l.k !== query.keyId) continue;
        if (events.length === limit) return { events, nextBefore: events[limit - 1].seq };
        events.push(fromLine(l));
      }
    }
    return { events };
  }
}

/** The complete lines of a segment; a line cut short by a crash is skipped. */
function parseLines(text: string): Line[] {
  const out: Line[] = [];
  for (const raw of text.split('\n')) {
    if (!raw) continue;
    try {
      const l = JSON.parse(raw) as Line;
      if (typeof l.s === 'number' && typeof l.o === 'string') out.push(l);
    } catch {
      // torn write
    }
  }
  return out;
}
