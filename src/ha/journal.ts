/**
 * The standby's mirror on disk: {@link HaJournal}, so a restarted standby resumes where it was.
 *
 * Two files, both mode 0600 from their creation (they hold keys), refused if an existing one
 * is readable or writable by group or others, or is not a regular file:
 * - `PATH`, the **checkpoint**: the whole committed mirror, written atomically (temporary file
 *   in the same directory, fsync, rename, fsync of the directory): it is either the old one or
 *   the new one, never torn. A checkpoint that does not parse is refused, not repaired.
 * - `PATH.log`, the **log**: records applied since the checkpoint, appended one per line.
 *   Each line is framed as `LENGTH CRC32 JSON\n` (length of the JSON in bytes, CRC-32 of the
 *   JSON as 8 hex digits). A crash can only tear the last line: on open, replay stops at the
 *   first line whose frame or checksum is wrong, and the file is truncated there.
 *
 * Both start with a header line naming a generation number; compaction (when the log passes a
 * size bound, never in the middle of a full state) writes a checkpoint of generation n+1,
 * then a fresh log of generation n+1. A crash between the two leaves a log of generation n,
 * whose records are all in the new checkpoint: it is discarded on open.
 *
 * Durability: {@link HaJournal.apply} writes the line; {@link HaJournal.flush} resolves once
 * every line applied before the call is on disk (one `fdatasync` for all the lines that
 * accumulated: group commit). A standby acknowledges a record to the publisher only after that.
 * @module
 */
import { closeSync, constants, fdatasync, fdatasyncSync, fstatSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { NetlinkError } from '../netlink/errors.js';
import { fsyncDir, HaFileError, writeFileAtomic } from './atomic-file.js';
import { HaMirror, type HaApplyStatus, type HaMirrorOptions } from './mirror.js';
import { decodeHaRecord, encodeHaRecord } from './record-codec.js';
import { HaProtocolError, type HaRecord, type HaSaId } from './records.js';

/** Version of the journal's header lines. */
export const HA_JOURNAL_VERSION = 1;

/** Default size of the log (bytes) past which {@link HaJournal.flush} compacts. */
export const HA_JOURNAL_COMPACT_BYTES = 8 * 1024 * 1024;

/** Options of {@link HaJournal.open}. @group Live HA */
export interface HaJournalOptions extends HaMirrorOptions {
  /** Compact when the log passes this many bytes (default {@link HA_JOURNAL_COMPACT_BYTES}). */
  compactBytes?: number;
}

/** What {@link HaJournal.open} found. @group Live HA */
export interface HaJournalRestored {
  /** Whether the files existed (false: a new, empty journal was created). */
  existed: boolean;
  /** Epoch of the stream the restored mirror followed. */
  epoch?: string;
  /** Last `seq` it had applied. */
  lastSeq: number;
  /** Records replayed from the log. */
  replayed: number;
  /** Bytes cut off the end of the log (a line torn by a crash, or one that no longer applies). */
  truncatedBytes: number;
  /** The log belonged to an older checkpoint (a crash during compaction) and was replaced. */
  staleLogDiscarded: boolean;
  /** The log ended inside a full state: it was dropped, the committed mirror kept (ask for a full state). */
  abandonedFullState: boolean;
}

// ---------------------------------------------------------------------------------------------
// Framing

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE 802.3, the one zlib and gzip use) of `b`. */
export function crc32(b: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < b.length; i++) c = CRC_TABLE[(c ^ b[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: true });

/** One framed line: `LENGTH CRC32 PAYLOAD\n`. */
export function frameLine(payload: string): Uint8Array {
  const body = enc.encode(payload);
  const head = enc.encode(`${body.length} ${crc32(body).toString(16).padStart(8, '0')} `);
  const out = new Uint8Array(head.length + body.length + 1);
  out.set(head, 0);
  out.set(body, head.length);
  out[out.length - 1] = 0x0a;
  return out;
}

/** Longest payload a frame may announce (a bound on what a corrupt length can make us read). */
const MAX_FRAME = 1024 * 1024;

/** What {@link readFrames} found. */
export interface HaFrames {
  /** The payload of each intact frame, in order. */
  payloads: string[];
  /** The offset just after each intact frame. */
  ends: number[];
  /** Where the intact part ends: the start of the first damaged line, or the buffer's length. */
  good: number;
}

/**
 * The frames of `buf` in order, and the offset where the intact part ends (the start of the
 * first line whose frame, length, checksum or UTF-8 is wrong, or `buf.length`).
 */
export function readFrames(buf: Uint8Array): HaFrames {
  const payloads: string[] = [];
  const ends: number[] = [];
  let off = 0;
  while (off < buf.length) {
    const s1 = buf.indexOf(0x20, off);
    if (s1 < 0 || s1 - off > 7 || s1 === off) break;
    let len = 0;
    let ok = true;
    for (let i = off; i < s1; i++) {
      const d = buf[i]! - 0x30;
      if (d < 0 || d > 9) ok = false;
      len = len * 10 + d;
    }
    if (!ok || len > MAX_FRAME) break;
    const crcEnd = s1 + 9;
    if (crcEnd >= buf.length || buf[crcEnd] !== 0x20) break;
    const crcText = String.fromCharCode(...buf.subarray(s1 + 1, crcEnd));
    if (!/^[0-9a-f]{8}$/.test(crcText)) break;
    const start = crcEnd + 1;
    const end = start + len;
    if (end >= buf.length || buf[end] !== 0x0a) break;
    const body = buf.subarray(start, end);
    if (crc32(body) !== parseInt(crcText, 16)) break;
    let text: string;
    try {
      text = dec.decode(body);
    } catch {
      break;
    }
    payloads.push(text);
    off = end + 1;
    ends.push(off);
  }
  return { payloads, ends, good: off };
}

// ---------------------------------------------------------------------------------------------
// Headers

interface CheckpointHeader {
  v: number;
  kind: 'ha-journal-checkpoint';
  gen: number;
  epoch: string;
  streamEpoch: string | null;
  lastSeq: number;
  complete: boolean;
  awaitingFullState: boolean;
  synced: Array<[HaSaId, number]>;
}
interface LogHeader {
  v: number;
  kind: 'ha-journal-log';
  gen: number;
}

function corrupt(path: string, what: string, cause?: unknown): HaFileError {
  return new HaFileError(path, 'corrupt', `${path}: ${what} (the checkpoint is written atomically: this is not a torn write; refusing to guess)`, cause !== undefined ? { cause } : undefined);
}

function parseCheckpointHeader(path: string, text: string): CheckpointHeader {
  let h: unknown;
  try {
    h = JSON.parse(text);
  } catch (e) {
    throw corrupt(path, 'header is not JSON', e);
  }
  const o = h as Partial<CheckpointHeader> | null;
  if (
    !o ||
    o.v !== HA_JOURNAL_VERSION ||
    o.kind !== 'ha-journal-checkpoint' ||
    !Number.isSafeInteger(o.gen) ||
    typeof o.epoch !== 'string' ||
    (typeof o.streamEpoch !== 'string' && o.streamEpoch !== null) ||
    !Number.isSafeInteger(o.lastSeq) ||
    typeof o.complete !== 'boolean' ||
    typeof o.awaitingFullState !== 'boolean' ||
    !Array.isArray(o.synced)
  ) {
    throw corrupt(path, `not a version ${HA_JOURNAL_VERSION} HA journal checkpoint header`);
  }
  for (const e of o.synced!) {
    const ok =
      Array.isArray(e) &&
      e.length === 2 &&
      Number.isSafeInteger(e[1]) &&
      e[0] !== null &&
      typeof e[0] === 'object' &&
      typeof e[0].daddr === 'string' &&
      Number.isInteger(e[0].spi) &&
      Number.isInteger(e[0].proto) &&
      (e[0].mark === undefined || (e[0].mark !== null && typeof e[0].mark === 'object' && Number.isInteger(e[0].mark.v) && Number.isInteger(e[0].mark.m)));
    if (!ok) throw corrupt(path, 'header: a malformed synced entry');
  }
  return o as CheckpointHeader;
}

function parseLogGen(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  try {
    const o = JSON.parse(text) as Partial<LogHeader> | null;
    return o && o.v === HA_JOURNAL_VERSION && o.kind === 'ha-journal-log' && Number.isSafeInteger(o.gen) ? o.gen : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Open an existing journal file without following a symlink, and refuse one that is not a
 * regular file or whose mode lets group or others read or write it (it holds keys).
 */
function openPrivate(path: string, flags: number): number | undefined {
  let fd: number;
  try {
    fd = openSync(path, flags | constants.O_NOFOLLOW);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') return undefined;
    throw new HaFileError(path, err.code ?? 'EIO', `cannot open ${path}: ${err.code ?? err.message}`, { cause: e });
  }
  const st = fstatSync(fd);
  if (!st.isFile()) {
    closeSync(fd);
    throw new HaFileError(path, 'type', `${path}: not a regular file`);
  }
  if ((st.mode & 0o077) !== 0) {
    closeSync(fd);
    throw new HaFileError(path, 'mode', `${path}: mode ${(st.mode & 0o777).toString(8).padStart(4, '0')} lets other users read or change key material; it must be 0600 (chmod 600 it if it is yours)`);
  }
  return fd;
}

function ioError(path: string, e: unknown): HaFileError {
  const err = e as NodeJS.ErrnoException;
  return new HaFileError(path, err.code ?? 'EIO', `cannot write ${path}: ${err.code ?? err.message}`, { cause: e });
}

/**
 * The standby's journal: a {@link HaMirror} kept on disk. Open it with {@link HaJournal.open},
 * apply each record with {@link apply}, call {@link flush} before acknowledging.
 * @group Live HA
 */
export class HaJournal {
  /** The mirror, restored from the files and kept in step with them. */
  readonly mirror: HaMirror;
  /** What open found. */
  readonly restored: HaJournalRestored;
  /** The checkpoint's path (the log is `path + '.log'`). */
  readonly path: string;
  private readonly logPath: string;
  private fd: number | undefined;
  private pos: number;
  private gen: number;
  private written = 0;
  private durable = 0;
  private syncing: Promise<void> | undefined;
  private broken: Error | undefined;
  private readonly compactBytes: number;
  private readonly mirrorOpts: HaMirrorOptions;

  private constructor(path: string, mirror: HaMirror, restored: HaJournalRestored, fd: number, pos: number, gen: number, opts: HaJournalOptions) {
    this.path = path;
    this.logPath = `${path}.log`;
    this.mirror = mirror;
    this.restored = restored;
    this.fd = fd;
    this.pos = pos;
    this.gen = gen;
    this.compactBytes = opts.compactBytes ?? HA_JOURNAL_COMPACT_BYTES;
    this.mirrorOpts = opts.now ? { now: opts.now } : {};
  }

  /**
   * Open (or create) the journal at `path`: read the checkpoint, replay the log up to its
   * first torn or corrupt line and cut that off. The restored mirror's `epoch` and `lastSeq`
   * tell the follower where it stands; it asks the publisher for a full state anyway.
   * @throws {@link HaFileError}: a file readable by others (`code` `'mode'`), not a regular
   *   file, a corrupt checkpoint, an I/O error.
   */
  static async open(path: string, opts: HaJournalOptions = {}): Promise<HaJournal> {
    const mirrorOpts: HaMirrorOptions = opts.now ? { now: opts.now } : {};
    const logPath = `${path}.log`;
    const cfd = openPrivate(path, constants.O_RDONLY);
    let mirror: HaMirror;
    let gen: number;
    const existed = cfd !== undefined;
    if (cfd === undefined) {
      mirror = new HaMirror(mirrorOpts);
      gen = 1;
      writeCheckpoint(path, mirror, gen);
    } else {
      let buf: Buffer;
      try {
        buf = readFileSync(cfd);
      } finally {
        closeSync(cfd);
      }
      ({ mirror, gen } = readCheckpoint(path, buf, mirrorOpts));
    }
    const restored: HaJournalRestored = { existed, lastSeq: 0, replayed: 0, truncatedBytes: 0, staleLogDiscarded: false, abandonedFullState: false };
    let lfd = openPrivate(logPath, constants.O_RDWR);
    let pos = 0;
    if (lfd !== undefined) {
      const buf = readFileSync(lfd);
      const { payloads, ends } = readFrames(buf);
      if (parseLogGen(payloads[0]) !== gen) {
        // A log of another generation: all its records are in the checkpoint (or it is junk).
        closeSync(lfd);
        lfd = undefined;
        restored.staleLogDiscarded = buf.length > 0;
      } else {
        restored.replayed = replayLog(mirror, payloads);
        // End of the header and of every record applied: the rest is cut off.
        const keep = ends[restored.replayed]!;
        if (keep < buf.length) {
          restored.truncatedBytes = buf.length - keep;
          try {
            ftruncateSync(lfd, keep);
            // The cut must reach the disk before new lines are appended after it.
            fdatasyncSync(lfd);
          } catch (e) {
            closeSync(lfd);
            throw ioError(logPath, e);
          }
        }
        pos = keep;
      }
    }
    if (lfd === undefined) {
      writeFileAtomic(logPath, frameLine(JSON.stringify({ v: HA_JOURNAL_VERSION, kind: 'ha-journal-log', gen } satisfies LogHeader)));
      lfd = openPrivate(logPath, constants.O_RDWR)!;
      pos = fstatSync(lfd).size;
    }
    if (mirror.staging) {
      mirror.abandonFullState();
      restored.abandonedFullState = true;
    }
    restored.lastSeq = mirror.lastSeq;
    if (mirror.epoch !== undefined) restored.epoch = mirror.epoch;
    return new HaJournal(path, mirror, restored, lfd, pos, gen, opts);
  }

  /**
   * Read the journal at `path` without writing anything: the committed mirror a takeover
   * installs. A follower may still be writing it: a torn last line is ignored (not cut), and
   * if a compaction replaced the files between the two reads, they are read again.
   * @throws {@link HaFileError} when the journal does not exist (`code` `'ENOENT'`), is readable
   *   by others, is not a regular file, or its checkpoint is corrupt.
   */
  static async read(path: string, opts: HaMirrorOptions = {}): Promise<HaMirror> {
    for (let attempt = 0; ; attempt++) {
      const cfd = openPrivate(path, constants.O_RDONLY);
      if (cfd === undefined) throw new HaFileError(path, 'ENOENT', `${path}: no such journal (has \`ha follow\` run with this --journal?)`);
      let cbuf: Buffer;
      try {
        cbuf = readFileSync(cfd);
      } finally {
        closeSync(cfd);
      }
      const { mirror, gen } = readCheckpoint(path, cbuf, opts);
      const lfd = openPrivate(`${path}.log`, constants.O_RDONLY);
      let logGen: number | undefined;
      if (lfd !== undefined) {
        let buf: Buffer;
        try {
          buf = readFileSync(lfd);
        } finally {
          closeSync(lfd);
        }
        const { payloads } = readFrames(buf);
        logGen = parseLogGen(payloads[0]);
        if (logGen === gen) {
          replayLog(mirror, payloads);
        }
      }
      // A newer log than the checkpoint read: a compaction ran in between; read both again.
      if (logGen !== undefined && logGen > gen && attempt < 5) continue;
      if (mirror.staging) mirror.abandonFullState();
      return mirror;
    }
  }

  /**
   * Apply a record to the mirror and append it to the log (not yet durable: see {@link flush}).
   * A record the mirror refuses is not written. Duplicates are not written either.
   * @throws {@link HaOrderError} / {@link HaProtocolError} from the mirror, {@link HaFileError}
   *   when the write fails (the journal then refuses further records: reopen it).
   */
  apply(r: HaRecord): HaApplyStatus {
    if (this.broken) throw this.broken;
    if (this.fd === undefined) throw new HaFileError(this.logPath, 'closed', `${this.logPath}: the journal is closed`);
    // Encode first: a record that cannot be written must not change the mirror either.
    const line = frameLine(encodeHaRecord(r));
    const status = this.mirror.apply(r);
    if (status === 'duplicate') return status;
    try {
      let off = 0;
      while (off < line.length) off += writeSync(this.fd, line, off, line.length - off, this.pos + off);
    } catch (e) {
      // The mirror has the record, the log may hold part of it: only a reopen is consistent.
      this.broken = ioError(this.logPath, e);
      throw this.broken;
    }
    this.pos += line.length;
    this.written++;
    return status;
  }

  /**
   * Resolve once every record applied before this call is durable (one `fdatasync` covers all
   * that accumulated meanwhile). Compacts afterwards if the log passed its bound and no full
   * state is being staged.
   * @throws {@link HaFileError} on an I/O error.
   */
  async flush(): Promise<void> {
    const target = this.written;
    while (this.durable < target) {
      if (this.broken) throw this.broken;
      if (!this.syncing) {
        const upTo = this.written;
        const fd = this.fd;
        if (fd === undefined) throw new HaFileError(this.logPath, 'closed', `${this.logPath}: the journal is closed`);
        this.syncing = new Promise<void>((resolve, reject) => fdatasync(fd, (e) => (e ? reject(ioError(this.logPath, e)) : resolve())))
          .then(() => {
            this.durable = Math.max(this.durable, upTo);
          })
          .finally(() => {
            this.syncing = undefined;
          });
      }
      await this.syncing;
    }
    if (this.pos > this.compactBytes && !this.mirror.staging && !this.syncing) this.compact();
  }

  /**
   * Write the whole mirror as a new checkpoint and start an empty log (see the module
   * description for why a crash in between is harmless). Refused inside a full state.
   * @throws {@link HaFileError} on an I/O error, {@link HaProtocolError} inside a full state.
   */
  compact(): void {
    if (this.broken) throw this.broken;
    if (this.mirror.staging) throw new HaProtocolError('journal', 'cannot compact in the middle of a full state');
    const gen = this.gen + 1;
    writeCheckpoint(this.path, this.mirror, gen);
    writeFileAtomic(this.logPath, frameLine(JSON.stringify({ v: HA_JOURNAL_VERSION, kind: 'ha-journal-log', gen } satisfies LogHeader)));
    const old = this.fd;
    this.fd = openPrivate(this.logPath, constants.O_RDWR)!;
    this.pos = fstatSync(this.fd).size;
    if (old !== undefined) closeSync(old);
    this.gen = gen;
    // Everything written so far is in the checkpoint, which is durable.
    this.durable = this.written;
  }

  /** Size of the log in bytes (for tests and status displays). */
  get logBytes(): number {
    return this.pos;
  }

  /** Flush and close the log. */
  async close(): Promise<void> {
    if (this.fd === undefined) return;
    try {
      if (!this.broken) await this.flush();
    } finally {
      if (this.fd !== undefined) closeSync(this.fd);
      this.fd = undefined;
    }
  }

  /** @internal Options the mirror was created with. */
  get options(): HaMirrorOptions {
    return this.mirrorOpts;
  }
}

/**
 * Apply the log's records (`payloads[1…]`; `[0]` is its header) to `mirror` up to the first
 * one that does not decode or apply. It applied once, so it must again: one that fails is
 * damage, and what precedes it is kept. Returns how many were applied.
 */
function replayLog(mirror: HaMirror, payloads: readonly string[]): number {
  let n = 0;
  for (let i = 1; i < payloads.length; i++) {
    try {
      mirror.apply(decodeHaRecord(payloads[i]!));
    } catch (e) {
      if (!(e instanceof NetlinkError)) throw e;
      break;
    }
    n++;
  }
  return n;
}

function writeCheckpoint(path: string, mirror: HaMirror, gen: number): void {
  const s = mirror.summary();
  const header: CheckpointHeader = {
    v: HA_JOURNAL_VERSION,
    kind: 'ha-journal-checkpoint',
    gen,
    epoch: s.stateEpoch ?? 'none',
    streamEpoch: s.epoch ?? null,
    lastSeq: s.lastSeq,
    complete: s.complete,
    awaitingFullState: s.awaitingFullState,
    synced: mirror.syncedAtList(),
  };
  const parts: Uint8Array[] = [frameLine(JSON.stringify(header))];
  for (const r of mirror.checkpointRecords()) parts.push(frameLine(encodeHaRecord(r)));
  let n = 0;
  for (const p of parts) n += p.length;
  const all = new Uint8Array(n);
  let off = 0;
  for (const p of parts) {
    all.set(p, off);
    off += p.length;
  }
  writeFileAtomic(path, all);
  fsyncDir(dirname(path));
}

function readCheckpoint(path: string, buf: Uint8Array, opts: HaMirrorOptions): { mirror: HaMirror; gen: number } {
  const { payloads, good } = readFrames(buf);
  if (good !== buf.length || payloads.length === 0) throw corrupt(path, `damaged at byte ${good}`);
  const h = parseCheckpointHeader(path, payloads[0]!);
  try {
    const records = payloads.slice(1).map((p) => decodeHaRecord(p));
    const mirror = HaMirror.fromCheckpoint(
      records,
      { epoch: h.epoch, lastSeq: h.lastSeq, streamEpoch: h.streamEpoch, complete: h.complete, awaitingFullState: h.awaitingFullState },
      h.synced,
      opts,
    );
    return { mirror, gen: h.gen };
  } catch (e) {
    if (e instanceof HaProtocolError) throw corrupt(path, e.message, e);
    throw e;
  }
}
