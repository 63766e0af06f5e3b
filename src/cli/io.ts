/**
 * Reading CLI input from a file or standard input, and writing files that hold keys.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CliError, EXIT_IO } from './exit-codes.js';

/** Read all of `path` (`-` or undefined = standard input) as bytes. @throws {@link CliError} with EXIT_IO. */
export function readInput(path: string | undefined): Buffer {
  try {
    return readFileSync(path === undefined || path === '-' ? 0 : path);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new CliError(`cannot read ${path ?? 'standard input'}: ${err.code ?? err.message}`, EXIT_IO);
  }
}

/**
 * Write `data` to `path` so that no other user can ever read it and no reader ever sees a
 * partial file: a temporary file in the same directory created with mode 0600 (exclusive,
 * so nothing pre-planted is reused), written and fsync'd, renamed over `path`, then the
 * directory fsync'd so the rename survives a crash. The temporary file is removed on failure.
 * @throws {@link CliError} with EXIT_IO.
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
    throw new CliError(`cannot write ${path}: ${err.code ?? err.message}`, EXIT_IO);
  }
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
