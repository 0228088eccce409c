// The audit trail: one event per request (time, operation, key, caller, outcome, error, request id, user agent, the
// request parameters CloudTrail records) and per timed change the sandbox makes itself (automatic rotation, key
// deletion, expiry of imported material); cloudtrail/record.ts turns an event into CloudTrail's record when it is
// read. Never plaintext, ciphertext, key material, tokens or secrets: the request parameters are an allow-list
// (cloudtrail/parameters.ts).
//
// On the store's principles (journal.ts): append-only segment files of CRC-framed records (frames.ts), one event a
// record. Recording is cheap: an event is framed at once into the batch's buffer (what the index needs of it kept
// beside), and the batch goes to disk a moment later in one writev and one fdatasync, so a crash loses at most that
// moment's events (key changes themselves are durable through the store, not through this trail) and a torn last
// record is dropped on open. When the current segment reaches its size limit a new one starts and the oldest beyond
// the count limit is removed, so the trail stays bounded on disk.
// An index in memory (per segment: each event's offset and time, its events by key and by each lookup attribute, the
// first 32 bits of each event id) lets a query read only the records it returns, newest first, by key, attribute and
// time, never the whole trail.
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ensureDir, FILE_MODE } from './fsutil';
import { FRAME_HEADER, frameSize, scanFrames, writeFrame } from './frames';

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
  /** CloudTrail's eventID (a UUID). */
  eventId: string;
  /** The x-amzn-RequestId the caller got. */
  requestId?: string;
  /** The caller's principalId: the account id for root, AIDA… for users, AROA…:session for sessions. */
  principalId?: string;
  userAgent?: string;
  sourceIp?: string;
  /** The message the caller got with errorCode. */
  errorMessage?: string;
  /** What CloudTrail records of the request (cloudtrail/parameters.ts): never plaintext, ciphertext or tokens. */
  requestParameters?: Record<string, unknown>;
  /** What CloudTrail records of the answer, for operations that change something. */
  responseElements?: Record<string, unknown>;
  /** additionalEventData.keyMaterialId: the key material a cryptographic operation used. */
  keyMaterialId?: string;
}

export type NewAuditEvent = Omit<AuditEvent, 'seq' | 'outcome' | 'eventId'> & { eventId?: string };

/** The attributes LookupEvents finds events by (the values as cloudtrail/record.ts reports them). */
export type LookupKey =
  'EventId' | 'EventName' | 'ReadOnly' | 'Username' | 'ResourceType' | 'ResourceName' | 'EventSource' | 'AccessKeyId';

export interface AuditQuery {
  /** Only events about this key id. */
  keyId?: string;
  /** At most this many events (1–1000, default 100). */
  limit?: number;
  /** Only events older than this seq: pass the previous page's `nextBefore`. */
  before?: number;
  /** Only events at or after this time (epoch ms). */
  startTime?: number;
  /** Only events at or before this time (epoch ms). */
  endTime?: number;
  /** Only events with this attribute (ResourceName is a key id: the caller resolves ARNs). */
  attribute?: { key: LookupKey; value: string };
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
  /** Segments kept; the oldest beyond this count is removed (default 64: at most ~64 MiB). */
  maxSegments: number;
  /** Segments whose newest event is older than this are removed (ms; default 90 days, CloudTrail's event history). */
  retentionMs: number;
  /** How long an event may wait in memory before its batch is written (ms, default 100). */
  flushDelayMs: number;
}

export const RETENTION_MS = 90 * 24 * 3600 * 1000;
const DEFAULTS: AuditLimits = {
  segmentBytes: 1024 * 1024,
  maxSegments: 64,
  flushDelayMs: 100,
  retentionMs: RETENTION_MS,
};
const SEGMENT_RE = /^audit-(\d{9})\.log$/;
const LEGACY_RE = /^audit-(\d{9})\.jsonl$/;
const segmentName = (n: number) => `audit-${String(n).padStart(9, '0')}.log`;

/** One event as a record on disk: short member names keep the trail small. */
interface Line {
  s: number;
  t: number;
  o: string;
  k?: string;
  c?: string;
  p?: string;
  e?: string;
  /** eventID; records of older versions have none (legacyEventId). */
  v?: string;
  r?: string;
  u?: string;
  a?: string;
  i?: string;
  m?: string;
  q?: Record<string, unknown>;
  x?: Record<string, unknown>;
  km?: string;
}

/**
 * Recorded events not written yet: their frames one after another in `chunks` (the last filled up to `used`; full
 * ones cut to what they hold, so nothing is ever copied), and each one's index entry.
 */
interface Batch {
  chunks: Buffer[];
  used: number;
  events: Indexed[];
}

const CHUNK_BYTES = 64 * 1024;
const newBatch = (): Batch => ({ chunks: [Buffer.allocUnsafe(CHUNK_BYTES)], used: 0, events: [] });

/** A stable eventID for a record written before events had one. */
const legacyEventId = (seq: number) => `00000000-0000-4000-8000-${seq.toString(16).padStart(12, '0').slice(-12)}`;

const fromLine = (l: Line): AuditEvent => ({
  seq: l.s,
  time: l.t,
  operation: l.o,
  keyId: l.k,
  caller: l.c,
  principal: l.p,
  outcome: l.e === undefined ? 'ok' : 'error',
  errorCode: l.e,
  eventId: l.v ?? legacyEventId(l.s),
  requestId: l.r,
  principalId: l.u,
  userAgent: l.a,
  sourceIp: l.i,
  errorMessage: l.m,
  requestParameters: l.q,
  responseElements: l.x,
  keyMaterialId: l.km,
});

/** The service an operation name belongs to: `iam:`, `sts:`, `cloudtrail:` prefixes; KMS's have none. */
export function serviceOf(operation: string): { source: string; name: string } {
  const colon = operation.indexOf(':');
  if (colon < 0) return { source: 'kms.amazonaws.com', name: operation };
  return { source: `${operation.slice(0, colon)}.amazonaws.com`, name: operation.slice(colon + 1) };
}

const READ_ONLY_PREFIXES = ['Describe', 'Get', 'List', 'Lookup', 'Simulate'];
const READ_ONLY = new Set([
  'Encrypt',
  'Decrypt',
  'ReEncrypt',
  'GenerateDataKey',
  'GenerateDataKeyWithoutPlaintext',
  'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext',
  'GenerateRandom',
  'GenerateMac',
  'VerifyMac',
  'Sign',
  'Verify',
  'DeriveSharedSecret',
  'AssumeRole',
]);

/** CloudTrail's readOnly: reads and cryptographic operations, which change nothing. */
export function isReadOnly(name: string): boolean {
  return READ_ONLY.has(name) || READ_ONLY_PREFIXES.some((p) => name.startsWith(p));
}

/** LookupEvents' Username of a caller: root, the IAM user's name, the role session's name; none for the service. */
export function usernameOf(principal: string | undefined): string | undefined {
  if (principal === undefined) return undefined;
  if (principal.endsWith(':root')) return 'root';
  const slash = principal.lastIndexOf('/');
  return slash < 0 ? undefined : principal.slice(slash + 1);
}

/** The first 32 bits of an event id, its key in a segment's index. */
const idPrefix = (id: string) => parseInt(id.slice(0, 8), 16) >>> 0;

/** Index keys that depend on the operation alone, computed once per operation name (bounded: names are checked). */
const OPERATION_KEYS = new Map<string, string[]>();
/** Index keys that depend on the caller alone (access key and ARN), kept for the last callers seen. */
const CALLER_KEYS = new Map<string, string[]>();
const MAX_CALLERS = 1024;

/** Calls `each` with the index key of every lookup attribute of an event (EventId apart). */
function forAttributeKeys(l: Pick<Line, 'o' | 'k' | 'c' | 'p'>, each: (key: string) => void): void {
  let byOp = OPERATION_KEYS.get(l.o);
  if (!byOp) {
    const { source, name } = serviceOf(l.o);
    byOp = [`EventName\0${name}`, `EventSource\0${source}`, `ReadOnly\0${isReadOnly(name)}`];
    if (OPERATION_KEYS.size < MAX_CALLERS) OPERATION_KEYS.set(l.o, byOp);
  }
  const who = `${l.c ?? ''}\0${l.p ?? ''}`;
  let byCaller = CALLER_KEYS.get(who);
  if (!byCaller) {
    byCaller = [];
    const user = l.c === 'kms' ? undefined : usernameOf(l.p);
    if (user !== undefined) byCaller.push(`Username\0${user}`);
    if (l.c !== undefined && l.c !== 'kms') byCaller.push(`AccessKeyId\0${l.c}`);
    if (CALLER_KEYS.size >= MAX_CALLERS) CALLER_KEYS.clear();
    CALLER_KEYS.set(who, byCaller);
  }
  for (const key of byOp) each(key);
  for (const key of byCaller) each(key);
  if (l.k !== undefined) each(KEY_RESOURCE);
}
const KEY_RESOURCE = 'ResourceType\0AWS::KMS::Key';

/** What the index knows of one segment file: event i has sequence number firstSeq + i. */
interface Segment {
  n: number;
  firstSeq: number;
  /** Offset of each event's record; bytes is where the next one goes. */
  offsets: number[];
  times: number[];
  /** Key id -> the segment's events about it (indexes into offsets), oldest first. */
  byKey: Map<string, number[]>;
  /** `<LookupKey>\0<value>` -> the segment's events with that attribute, oldest first. */
  byAttribute: Map<string, number[]>;
  /** The first 32 bits of each event's id. */
  ids: number[];
  bytes: number;
  /** Not indexed yet (open indexes older segments in the background). */
  pending?: boolean;
}

const newSegment = (n: number, firstSeq: number): Segment => ({
  n,
  firstSeq,
  offsets: [],
  times: [],
  byKey: new Map(),
  byAttribute: new Map(),
  ids: [],
  bytes: 0,
});

function addTo(map: Map<string, number[]>, key: string, i: number): void {
  const list = map.get(key);
  if (list) list.push(i);
  else map.set(key, [i]);
}

/** What the index keeps of an event: its record's size, time, id, key and lookup attributes. */
interface Indexed extends Pick<Line, 's' | 't' | 'o' | 'k' | 'c' | 'p'> {
  /** The first 32 bits of the event id. */
  id: number;
  /** Its record's size on disk (frame included). */
  size: number;
}

const indexedOf = (l: Line, size: number): Indexed => ({
  s: l.s,
  t: l.t,
  o: l.o,
  k: l.k,
  c: l.c,
  p: l.p,
  id: idPrefix(l.v ?? legacyEventId(l.s)),
  size,
});

function indexEvent(seg: Segment, e: Indexed, offset: number): void {
  const i = seg.offsets.length;
  seg.offsets.push(offset);
  seg.times.push(e.t);
  seg.ids.push(e.id);
  if (e.k !== undefined) addTo(seg.byKey, e.k, i);
  forAttributeKeys(e, (key) => addTo(seg.byAttribute, key, i));
  seg.bytes = offset + e.size;
}

/** The segment's events a query can match (indexes, oldest first), or undefined for all of them. */
function candidatesOf(seg: Segment, query: AuditQuery): number[] | undefined {
  const a = query.attribute;
  if (query.keyId !== undefined) {
    const byKey = seg.byKey.get(query.keyId) ?? [];
    if (!a) return byKey;
    // Both: the shorter list, filtered by the other.
    const other = candidatesOf(seg, { attribute: a }) ?? [];
    const set = new Set(byKey.length < other.length ? byKey : other);
    return (byKey.length < other.length ? other : byKey).filter((i) => set.has(i));
  }
  if (!a) return undefined;
  if (a.key === 'ResourceName') return seg.byKey.get(a.value) ?? [];
  if (a.key === 'EventId') {
    const want = idPrefix(a.value);
    const out: number[] = [];
    for (let i = 0; i < seg.ids.length; i++) if (seg.ids[i] === want) out.push(i);
    return out;
  }
  return seg.byAttribute.get(`${a.key}\0${a.value}`) ?? [];
}

/** Indexes one segment file: its events' offsets, times, keys and attributes; a torn last record is cut off. */
async function indexSegment(dir: string, n: number): Promise<Segment> {
  const file = path.join(dir, segmentName(n));
  let seg: Segment | undefined;
  const scan = await scanFrames(file, (payload, offset) => {
    const l = parseLine(payload.toString('utf8'));
    if (!l) return;
    seg ??= newSegment(n, l.s);
    // Sequence numbers run on within a segment; anything else is not this trail's and ends the segment's index.
    if (l.s !== seg.firstSeq + seg.offsets.length) return;
    indexEvent(seg, indexedOf(l, frameSize(payload)), offset);
  });
  // A record torn by a crash: the segment continues after its last whole event.
  if (scan.damagedBytes) await fs.truncate(file, scan.validBytes);
  seg ??= newSegment(n, 0);
  seg.bytes = scan.validBytes;
  return seg;
}

export class AuditTrail {
  /** Settles once the segments older than the last written one are indexed (open). */
  private indexing: Promise<void> = Promise.resolve();
  /** Settles once every event recorded so far is written and indexed (not necessarily on disk yet). */
  private visible: Promise<void> = Promise.resolve();
  /**
   * Events recorded since the last batch went out, already framed (the bytes) and what the index needs of each: an
   * event costs one small object until it is written, not the event itself.
   */
  private pending: Batch = newBatch();
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private failed = false;

  private constructor(
    private readonly dir: string,
    private readonly limits: AuditLimits,
    /** Oldest first; the last is written to. */
    private readonly segments: Segment[],
    private lastSeq: number,
  ) {}

  static async open(dir: string, limits: Partial<AuditLimits> = {}): Promise<AuditTrail> {
    await ensureDir(dir);
    const names = await fs.readdir(dir);
    const numbers = (re: RegExp) =>
      names
        .flatMap((name) => (re.test(name) ? [Number((re.exec(name) as RegExpExecArray)[1])] : []))
        .sort((a, b) => a - b);
    const ns = numbers(SEGMENT_RE);
    // The newest segments (back to the first that holds an event) are indexed now, since recording continues after
    // them; older ones are indexed in the background, newest first, and queries wait for them (`indexing`), so a
    // large trail does not hold up the start.
    const tail: Segment[] = [];
    let i = ns.length - 1;
    for (; i >= 0; i--) {
      const seg = await indexSegment(dir, ns[i]);
      tail.unshift(seg);
      if (seg.offsets.length) break;
    }
    const filled = tail.find((seg) => seg.offsets.length);
    const lastSeq = filled ? filled.firstSeq + filled.offsets.length - 1 : 0;
    for (const seg of tail) if (!seg.offsets.length) seg.firstSeq = lastSeq + 1;
    const older = ns.slice(0, Math.max(i, 0)).map((n) => ({ ...newSegment(n, 0), pending: true }));
    const segments = [...older, ...tail];
    if (!segments.length) segments.push(newSegment(1, lastSeq + 1));
    const trail = new AuditTrail(dir, { ...DEFAULTS, ...limits }, segments, lastSeq);
    trail.indexing = (async () => {
      for (const seg of older.reverse()) {
        try {
          Object.assign(seg, await indexSegment(dir, seg.n), { pending: false });
        } catch {
          // Removed as the oldest meanwhile, or unreadable: it holds no event the trail can return.
          seg.pending = false;
        }
      }
    })();
    await trail.migrateLegacy(numbers(LEGACY_RE));
    return trail;
  }

  /** JSON Lines segments of older versions: their events are recorded anew (same numbers), then the files go. */
  private async migrateLegacy(legacy: number[]): Promise<void> {
    if (!legacy.length) return;
    for (const n of legacy) {
      const file = path.join(this.dir, `audit-${String(n).padStart(9, '0')}.jsonl`);
      for (const raw of (await fs.readFile(file, 'utf8')).split('\n')) {
        const l = parseLine(raw);
        if (l) this.recordLine({ ...l, s: ++this.lastSeq });
      }
    }
    await this.flush();
    for (const n of legacy)
      await fs.rm(path.join(this.dir, `audit-${String(n).padStart(9, '0')}.jsonl`), { force: true });
  }

  /** Records an event; returns at once (the event is written with the next batch). */
  record(event: NewAuditEvent): string {
    const id = event.eventId ?? randomUUID();
    this.recordLine({
      s: ++this.lastSeq,
      t: event.time,
      o: event.operation,
      k: event.keyId,
      c: event.caller,
      p: event.principal,
      e: event.errorCode,
      v: id,
      r: event.requestId,
      u: event.principalId,
      a: event.userAgent,
      i: event.sourceIp,
      m: event.errorMessage,
      q: event.requestParameters,
      x: event.responseElements,
      km: event.keyMaterialId,
    });
    return id;
  }

  private recordLine(line: Line): void {
    const json = JSON.stringify(line);
    const size = frameSize(json);
    const batch = this.pending;
    const last = batch.chunks.length - 1;
    if (batch.used + size > batch.chunks[last].length) {
      batch.chunks[last] = batch.chunks[last].subarray(0, batch.used);
      batch.chunks.push(Buffer.allocUnsafe(Math.max(CHUNK_BYTES, size)));
      batch.used = 0;
    }
    batch.used = writeFrame(batch.chunks[batch.chunks.length - 1], batch.used, json);
    batch.events.push(indexedOf(line, size));
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
    if (batch.events.length === 0) return this.writing;
    this.pending = newBatch();
    let shown!: () => void;
    this.visible = new Promise<void>((resolve) => (shown = resolve));
    this.writing = this.writing.then(() => this.append(batch, shown).finally(shown));
    return this.writing;
  }

  /** Writes a batch: indexed (readable) once written, resolved once on disk (fdatasync). Never rejects. */
  private async append(batch: Batch, shown: () => void): Promise<void> {
    const first = batch.events[0];
    try {
      // A segment is closed once it has reached its size; one batch may take it a little past the limit.
      let seg = this.segments[this.segments.length - 1];
      if (seg.bytes >= this.limits.segmentBytes) seg = await this.nextSegment(first.s, first.t);
      if (seg.offsets.length === 0) seg.firstSeq = first.s;
      const handle = await fs.open(path.join(this.dir, segmentName(seg.n)), 'a', FILE_MODE);
      try {
        const last = batch.chunks.length - 1;
        batch.chunks[last] = batch.chunks[last].subarray(0, batch.used);
        await handle.writev(batch.chunks);
        // Readable from here (the page cache); queries need not wait for the disk.
        let offset = seg.bytes;
        for (const e of batch.events) {
          indexEvent(seg, e, offset);
          offset += e.size;
        }
        shown();
        await handle.datasync();
      } finally {
        await handle.close();
      }
      this.failed = false;
    } catch {
      // The audit trail must never fail a request; a full or read-only disk only costs these events.
      this.failed = true;
    }
  }

  private async nextSegment(firstSeq: number, now: number): Promise<Segment> {
    const seg = newSegment(this.segments[this.segments.length - 1].n + 1, firstSeq);
    this.segments.push(seg);
    const expired = (s: Segment) =>
      !s.pending && (s.times.length === 0 || s.times[s.times.length - 1] < now - this.limits.retentionMs);
    while (this.segments.length > this.limits.maxSegments || (this.segments.length > 1 && expired(this.segments[0]))) {
      const oldest = this.segments.shift() as Segment;
      await fs.rm(path.join(this.dir, segmentName(oldest.n)), { force: true });
    }
    return seg;
  }

  /** Whether the last write to disk failed (events were dropped). */
  get writeFailed(): boolean {
    return this.failed;
  }

  /** Recorded events, newest first, optionally of one key and a time range; pages continue with `before`. */
  async read(query: AuditQuery = {}): Promise<AuditPage> {
    const limit = Math.min(Math.max(Math.trunc(query.limit ?? 100), 1), 1000);
    await this.indexing;
    void this.flush();
    await this.visible;
    const events: AuditEvent[] = [];
    for (let s = this.segments.length - 1; s >= 0 && events.length <= limit; s--) {
      const seg = this.segments[s];
      const n = seg.offsets.length;
      if (n === 0 || (query.before !== undefined && seg.firstSeq >= query.before)) continue;
      if (query.startTime !== undefined && seg.times[n - 1] < query.startTime) continue;
      const candidates = candidatesOf(seg, query);
      if (candidates?.length === 0) continue;
      // The segment's matching events, newest first, as many as the page can still take.
      const picked: number[] = [];
      const total = candidates ? candidates.length : n;
      for (let j = total - 1; j >= 0 && events.length + picked.length <= limit; j--) {
        const i = candidates ? candidates[j] : j;
        if (query.before !== undefined && seg.firstSeq + i >= query.before) continue;
        const t = seg.times[i];
        if (query.endTime !== undefined && t > query.endTime) continue;
        if (query.startTime !== undefined && t < query.startTime) continue;
        picked.push(i);
      }
      if (picked.length) events.push(...(await this.readEvents(seg, picked)));
    }
    // Event ids are indexed by their first 32 bits: the rare other event that shares them is dropped here.
    const id = query.attribute?.key === 'EventId' ? query.attribute.value : undefined;
    if (id !== undefined) return { events: events.filter((e) => e.eventId === id).slice(0, limit) };
    if (events.length > limit) return { events: events.slice(0, limit), nextBefore: events[limit - 1].seq };
    return { events };
  }

  /** The events at `indexes` (newest first) of one segment, read with one read of the bytes that span them. */
  private async readEvents(seg: Segment, indexes: number[]): Promise<AuditEvent[]> {
    const lo = indexes[indexes.length - 1];
    const hi = indexes[0];
    const start = seg.offsets[lo];
    const end = hi + 1 < seg.offsets.length ? seg.offsets[hi + 1] : seg.bytes;
    const buf = Buffer.allocUnsafe(end - start);
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(path.join(this.dir, segmentName(seg.n)), 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []; // dropped as the oldest meanwhile
      throw err;
    }
    try {
      await handle.read(buf, 0, buf.length, start);
    } finally {
      await handle.close();
    }
    const out: AuditEvent[] = [];
    for (const i of indexes) {
      const at = seg.offsets[i] - start;
      const length = buf.readUInt32LE(at);
      const l = parseLine(buf.toString('utf8', at + FRAME_HEADER, at + FRAME_HEADER + length));
      if (l) out.push(fromLine(l));
    }
    return out;
  }
}

/** One event's record, or undefined for anything that is not one. */
function parseLine(raw: string): Line | undefined {
  if (!raw) return undefined;
  try {
    const l = JSON.parse(raw) as Line;
    return typeof l.s === 'number' && typeof l.t === 'number' && typeof l.o === 'string' ? l : undefined;
  } catch {
    return undefined;
  }
}
