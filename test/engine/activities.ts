/** Activities of the engine tests: real code run by the real SDK worker, with observable side effects. */
import { ApplicationFailure, CompleteAsyncError, Context, CancelledFailure } from '@temporalio/activity';
import { appendFile } from 'node:fs/promises';

export function createEngineTestActivities(options: { journal?: string } = {}) {
  const attempts = new Map<string, number>();
  return {
    async greet(name: string): Promise<string> {
      return `Xin chào, ${name}`;
    },
    async step(i: number): Promise<number> {
      return i;
    },
    async failTimes(failures: number, type: string): Promise<string> {
      const key = Context.current().info.workflowExecution?.workflowId ?? '';
      const attempt = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, attempt);
      if (attempt <= failures) throw ApplicationFailure.create({ message: `attempt ${attempt} failed`, type });
      return `succeeded on attempt ${attempt}`;
    },
    async hang(ms: number, everyAttempt: boolean): Promise<string> {
      const info = Context.current().info;
      if (info.attempt === 1 || everyAttempt) await new Promise((r) => setTimeout(r, ms));
      return `attempt ${info.attempt}`;
    },
    async heartbeatUntilCancelled(): Promise<string> {
      const ctx = Context.current();
      for (;;) {
        ctx.heartbeat();
        try {
          await ctx.sleep(100);
        } catch (err) {
          if (err instanceof CancelledFailure) throw err;
          throw err;
        }
      }
    },
    /** Leaves the result to someone else (AsyncCompletionClient), as a human task would. */
    async completedElsewhere(): Promise<string> {
      throw new CompleteAsyncError();
    },
    /** Appends one line per completed execution, so the durability test can count completions. */
    async recordStep(name: string, delayMs: number): Promise<string> {
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      if (options.journal) await appendFile(options.journal, `${name}\n`);
      return name;
    },
  };
}

export type EngineTestActivities = ReturnType<typeof createEngineTestActivities>;
