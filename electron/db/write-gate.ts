/**
 * The writers of one process on the practice database (the service worker answering the GP, the
 * job threads importing in batches) take turns through this gate before SQLite's own lock, and
 * the GP's writes go first. Without it a save waiting on SQLite's busy handler sleeps in growing
 * steps and keeps missing the instant between two batches: measured, a GP's save waited 1.6 s
 * during a 40,000-row import. With it the save waits for the batch in progress only.
 *
 * The gate is a pair of integers in shared memory (a SharedArrayBuffer handed to each thread):
 * [0] 1 while a writer holds it, [1] how many GP writes are waiting. It is only about turns:
 * SQLite's lock still guards the data, so a gate left closed by a thread that died is opened
 * again after a while rather than blocking for ever.
 */
const HELD = 0;
const WAITING = 1;
/** Longest wait for a turn; past it the writer goes on to SQLite's lock (a holder died). */
const MAX_WAIT_MS = 5000;

export class WriteGate {
  private readonly cells: Int32Array;

  constructor(readonly buffer: SharedArrayBuffer) {
    this.cells = new Int32Array(buffer);
  }

  static create(): WriteGate {
    return new WriteGate(new SharedArrayBuffer(8));
  }

  /** Blocks until this thread may write; `first`: a GP's write, which background writers let pass. */
  acquire(first: boolean): void {
    const deadline = Date.now() + MAX_WAIT_MS;
    if (first) Atomics.add(this.cells, WAITING, 1);
    else {
      for (let waiting = Atomics.load(this.cells, WAITING); waiting > 0 && Date.now() < deadline; waiting = Atomics.load(this.cells, WAITING)) {
        Atomics.wait(this.cells, WAITING, waiting, 20);
      }
    }
    while (Atomics.compareExchange(this.cells, HELD, 0, 1) !== 0) {
      if (Date.now() >= deadline) {
        Atomics.store(this.cells, HELD, 1);
        break;
      }
      Atomics.wait(this.cells, HELD, 1, 20);
    }
    if (first) {
      Atomics.sub(this.cells, WAITING, 1);
      Atomics.notify(this.cells, WAITING);
    }
  }

  release(): void {
    Atomics.store(this.cells, HELD, 0);
    Atomics.notify(this.cells, HELD);
  }
}
