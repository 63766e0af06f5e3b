/**
 * Files that hold keys, written so that no other user can ever read them and no reader (or a
 * crash) ever sees a partial one: {@link writeFileAtomic}. Shared by the HA journal and the
 * CLI's `ha snapshot --output`.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { NetlinkError } from '../netlink/errors.js';

/** A file could not be written, read or opened safely. Names the path and the errno code, never the content. @group Live HA */
export class HaFileError extends NetlinkError {
  /** The file. */
  readonly path: string;
  /** The errno code (`'EACCES'`…) or a word for what is wrong (`'mode'`, `'corrupt'`). */
  readonly code: string;
  /** @param path the file. @param code errno code or reason word. @param message details. @param options `ErrorOptions`. */
  constructor(path: string, code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'HaFileError';
    this.path = path;
    this.code = code;
  }
}

/** fsync a directory so a rename or a new file in it survives a crash. */
export function fsyncDir(dir: string): void {
  try {
    const dfd = openSync(dir, 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    // Some file systems refuse fsync on a directory (EINVAL); the data itself is on disk.
  }
}

/**
 * Write `data` to `path` so that no other user can ever read it and no reader ever sees a
 * partial file: a temporary file in the same directory created with mode 0600 (exclusive,
 * so nothing pre-planted is reused), written and fsync'd, renamed over `path`, then the
 * directory fsync'd so the rename survives a crash. The temporary file is removed on failure.
 * @throws {@link HaFileError} (`cannot write PATH: CODE`).
 */
export function writeFileAtomic(path: string, data: Uint8Array, mode = 0o600): void {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', mode);
    // The umask can only clear bits of `mode`; set it exactly in case the file system ignored it.
    fchmodSync(fd, mode);
    let off = 0;
    while (off < data.length) off += writeSync(fd, data, off, data.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    const err = e as NodeJS.ErrnoException;
    const code = err.code ?? err.message;
    throw new HaFileError(path, code, `cannot write ${path}: ${code}`, { cause: e });
  }
  fsyncDir(dir);
}
