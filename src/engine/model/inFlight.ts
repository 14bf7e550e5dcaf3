/**
 * Keeps at most `depth` inference requests queued at the worker while the caller builds the next batch, so the
 * worker never idles and memory stays bounded. Every request is observed, so none rejects unhandled.
 */
export class InFlight {
  private readonly queue: Promise<void>[] = [];

  constructor(private readonly depth = 2) {}

  /** Waits for room, then queues `p`. */
  async push(p: Promise<void>): Promise<void> {
    p.catch(() => undefined); // observed by drain(); avoids an unhandled rejection while it waits
    if (this.queue.length >= this.depth) await this.queue.shift();
    this.queue.push(p);
  }

  /** Waits for every queued request; rethrows the first failure. */
  async drain(): Promise<void> {
    for (const p of this.queue.splice(0)) await p;
  }

  /** Waits for whatever is still queued, ignoring failures (for finally blocks after an error). */
  async settle(): Promise<void> {
    await Promise.allSettled(this.queue.splice(0));
  }
}
