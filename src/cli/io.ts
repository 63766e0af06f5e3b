/**
 * Reading CLI input from a file or standard input.
 * @module
 */
import { readFileSync } from 'node:fs';
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
