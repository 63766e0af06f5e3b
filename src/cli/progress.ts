/**
 * A progress line on stderr for long operations (bulk adds, snapshot, restore), shown only
 * when stderr is a terminal and redrawn at most every 100 ms.
 * @module
 */

/** A progress line; a no-op when `enabled` is false. */
export class Progress {
  private done = 0;
  private last = 0;
  private shown = false;

  /**
   * @param write where the line goes (stderr). @param enabled stderr is a TTY.
   * @param label e.g. `'adding SAs'`. @param total expected count, if known.
   */
  constructor(
    private readonly write: (s: string) => void,
    private readonly enabled: boolean,
    private readonly label: string,
    private readonly total?: number,
  ) {}

  /** Count `n` more items done. */
  tick(n = 1): void {
    this.done += n;
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.last < 100 && (this.total === undefined || this.done < this.total)) return;
    this.last = now;
    this.shown = true;
    const of = this.total !== undefined ? `/${this.total}` : '';
    const pct = this.total ? ` (${Math.floor((this.done * 100) / this.total)}%)` : '';
    this.write(`\r${this.label}: ${this.done}${of}${pct}\x1b[K`);
  }

  /** Erase the line. */
  end(): void {
    if (this.enabled && this.shown) this.write('\r\x1b[K');
    this.shown = false;
  }
}
