/**
 * Linux errno names, kept in a table of our own so the pure codecs need nothing from Node
 * (they also run in browsers and on macOS, where `util.getSystemErrorName` would give the
 * wrong numbers for Linux errnos).
 * @module
 */

/** @internal Linux errno numbers (asm-generic/errno-base.h and errno.h) for the codes netlink returns. */
const NAMES: Record<number, string> = {
  1: 'EPERM', 2: 'ENOENT', 3: 'ESRCH', 4: 'EINTR', 5: 'EIO', 6: 'ENXIO', 7: 'E2BIG', 9: 'EBADF',
  11: 'EAGAIN', 12: 'ENOMEM', 13: 'EACCES', 14: 'EFAULT', 16: 'EBUSY', 17: 'EEXIST', 19: 'ENODEV',
  22: 'EINVAL', 23: 'ENFILE', 24: 'EMFILE', 28: 'ENOSPC', 34: 'ERANGE', 38: 'ENOSYS', 61: 'ENODATA',
  71: 'EPROTO', 74: 'EBADMSG', 75: 'EOVERFLOW', 90: 'EMSGSIZE', 92: 'ENOPROTOOPT',
  93: 'EPROTONOSUPPORT', 95: 'EOPNOTSUPP', 97: 'EAFNOSUPPORT', 98: 'EADDRINUSE',
  99: 'EADDRNOTAVAIL', 100: 'ENETDOWN', 101: 'ENETUNREACH', 105: 'ENOBUFS', 110: 'ETIMEDOUT',
  111: 'ECONNREFUSED', 113: 'EHOSTUNREACH', 114: 'EALREADY', 115: 'EINPROGRESS', 125: 'ECANCELED',
};

/** Symbolic name of a positive Linux errno (`17` → `'EEXIST'`); unknown numbers give `'E<n>'`. */
export function errnoName(errno: number): string {
  return NAMES[errno] ?? `E${errno}`;
}
