/**
 * Exit codes of the `netlink-xfrm` command line, distinct per kind of failure so scripts can
 * tell a typo from a kernel refusal.
 * @module
 */

/** Success. */
export const EXIT_OK = 0;
/** The kernel refused a request (NetlinkKernelError). */
export const EXIT_KERNEL = 1;
/** Bad command line. */
export const EXIT_USAGE = 2;
/** Malformed input data (bytes that do not decode, JSON that does not encode). */
export const EXIT_DATA = 3;
/** I/O or system failure (file not found, socket error, missing native shim). */
export const EXIT_IO = 4;

/** An error that ends the CLI with a given exit code and a one-line message. */
export class CliError extends Error {
  /** Process exit code. */
  readonly exitCode: number;
  /** @param message the line printed to stderr. @param exitCode the exit status. */
  constructor(message: string, exitCode: number) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}
