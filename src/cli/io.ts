/**
 * Reading CLI input from a file or standard input, and writing files that hold keys.
 * @module
 */
import { readFileSync } from 'node:fs';
import { HaFileError, writeFileAtomic as writeFileAtomicShared } from '../ha/atomic-file.js';
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
 * {@link writeFileAtomicShared} with the CLI's error: mode 0600 from creation, temp file +
 * fsync + rename + directory fsync.
 * @throws {@link CliError} with EXIT_IO.
 */
export function writeFileAtomic(path: string, data: Uint8Array, mode = 0o600): void {
  try {
    writeFileAtomicShared(path, data, mode);
  } catch (e) {
    if (e instanceof HaFileError) throw new CliError(e.message, EXIT_IO);
    throw e;
  }
}
