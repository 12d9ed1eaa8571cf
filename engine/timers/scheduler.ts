import type { EngineContext } from '../context';
import { withTx, type Tx } from '../history/tx';
import type { Run } from '../history/run';

export type TimerHandler = (tx: Tx, run: Run, data: { kind: string } & Record<string, unknown>) => Promise<void>;

const IDLE_RECHECK_MS = 5_000;

/**
 * Fires durable timers from the timers table: each due row is deleted and handled in one transaction
 * (SKIP LOCKED lets several engines share a database), so a timer fires once even across crashes, and
 * timers that fell due while the engine was down fire as soon as it is back.
 */
export class Scheduler {
  private stopped = false;
  private nextWake = Infinity;
  private sleeping: { timer: NodeJS.Timeout; resolve: () => void } | undefined;
  private loopDone: Promise<void> | undefined;
  private ctx!: EngineContext;

  constructor(private readonly handle: TimerHandler) {}

  start(ctx: EngineContext) {
    this.ctx = ctx;
    this.loopDone = this.loop();
  }

  async stop() {
    this.stopped = true;
    this.interruptSleep();
    await this.loopDone;
  }

  /** A timer was committed: wake up earlier if it is due before the current sleep ends. */
  wake(fireAt: number) {
    if (fireAt < this.nextWake) this.interruptSleep();
  }

  private interruptSleep() {
    const s = this.sleeping;
    if (!s) return;
    this.sleeping = undefined;
    clearTimeout(s.timer);
    s.resolve();
  }

  private async loop() {
    while (!this.stopped) {
      try {
        if (await this.fireOne()) continue;
        const { rows } = await this.ctx.pool.query<{ next: Date | null }>('SELECT min(fire_at) AS next FROM timers');
        const next = rows[0]?.next ? rows[0].next.getTime() : Infinity;
        await this.sleepUntil(Math.min(next, Date.now() + IDLE_RECHECK_MS));
      } catch (err) {
        if (this.stopped) break;
        this.ctx.log('timer scheduler error', err);
        await this.sleepUntil(Date.now() + 500);
      }
    }
  }

  private sleepUntil(time: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.nextWake = time;
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.sleeping = undefined;
        resolve();
      }, Math.max(0, time - Date.now()));
      this.sleeping = { timer, resolve };
    }).then(() => {
      this.nextWake = Infinity;
    });
  }

  private fireOne(): Promise<boolean> {
    return withTx(this.ctx, async (tx) => {
      const { rows } = await tx.query<{ run_id: string; data: { kind: string } & Record<string, unknown> }>(
        `DELETE FROM timers WHERE id = (
           SELECT id FROM timers WHERE fire_at <= $1 ORDER BY fire_at, id LIMIT 1 FOR UPDATE SKIP LOCKED
         ) RETURNING run_id, data`,
        [new Date()],
      );
      if (rows.length === 0) return false;
      const run = await tx.lockRun(rows[0].run_id);
      if (run?.isRunning) await this.handle(tx, run, rows[0].data);
      return true;
    });
  }
}
