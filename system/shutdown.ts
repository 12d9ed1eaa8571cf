import type { Logger } from './logger';

interface Step {
  name: string;
  stop: () => Promise<void>;
  timeoutMs: number;
}

/**
 * What has been started, to be stopped in reverse order. Each step gets a bounded time and a failing or
 * hanging step does not keep later ones (above all the database) from stopping, so a stop always ends.
 */
export class ShutdownStack {
  private readonly steps: Step[] = [];
  private running: Promise<boolean> | undefined;

  constructor(private readonly logger: Logger) {}

  push(name: string, stop: () => Promise<void>, timeoutMs = 10_000): void {
    this.steps.push({ name, stop, timeoutMs });
  }

  /** Stops everything once (later calls wait for the same run); true when every step ended in time. */
  stopAll(): Promise<boolean> {
    this.running ??= this.run();
    return this.running;
  }

  private async run(): Promise<boolean> {
    let clean = true;
    for (const step of this.steps.reverse()) {
      const started = Date.now();
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          step.stop(),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`did not stop within ${step.timeoutMs} ms`)), step.timeoutMs);
          }),
        ]);
        this.logger.info({ step: step.name, ms: Date.now() - started }, 'stopped');
      } catch (err) {
        clean = false;
        this.logger.error({ step: step.name, err }, 'stop failed');
      } finally {
        clearTimeout(timer);
      }
    }
    return clean;
  }
}
