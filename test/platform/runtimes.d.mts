/** Types of runtimes.mjs (a plain .mjs so that .ci/run can run it with Node 20 before any build). */
/** Where runtimes are unpacked. */
export declare const cacheDir: string;
/** name → npm package, version and executable inside the package. */
export declare const RUNTIMES: Record<'bun' | 'deno' | 'node-arm64', { pkg: string; version: string; bin: string }>;
/** The cached executable of `name`, or undefined. */
export declare function runtimePath(name: 'bun' | 'deno' | 'node-arm64'): string | undefined;
