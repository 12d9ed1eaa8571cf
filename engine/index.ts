/**
 * The embedded Temporal-compatible server: public entry point used by `npm start`, `npm run engine`
 * and the tests. Everything else under engine/ is internal.
 *
 * The engine runs on a worker thread of its own, so that its gRPC, protobuf and PostgreSQL work uses a second
 * core instead of sharing one event loop with the SDK client, worker and activities of the same process.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { EngineHandle, EngineLog, EngineOptions } from './in-thread';
import { receiveError, type FromEngineThread, type ToEngineThread } from './thread-messages';

export type { EngineHandle, EngineLog, EngineOptions } from './in-thread';

export async function startEngine(options: EngineOptions): Promise<EngineHandle> {
  const { log = logToStderr, ...threadOptions } = options;
  const worker = new Worker(threadBootstrap(), { eval: true, workerData: threadOptions });
  let stopRequested = false;
  let exited = false;
  let onStopped: (() => void) | undefined;
  const address = await new Promise<string>((resolve, reject) => {
    worker.on('message', (message: FromEngineThread) => {
      if (message.type === 'started') resolve(message.address);
      else if (message.type === 'failed') reject(receiveError(message.error));
      else if (message.type === 'log') log(message.message, typeof message.err === 'object' ? receiveError(message.err) : message.err);
      else if (message.type === 'stopped') onStopped?.();
    });
    worker.on('error', (err) => {
      reject(err);
      log('engine thread failed', err);
    });
    worker.on('exit', (code) => {
      exited = true;
      reject(new Error(`engine thread exited with code ${code} while starting`));
      if (!stopRequested) log(`engine thread exited with code ${code}`);
      onStopped?.();
    });
  }).catch(async (err) => {
    stopRequested = true;
    await worker.terminate();
    throw err;
  });
  let stopped: Promise<void> | undefined;
  return {
    address,
    stop: () =>
      (stopped ??= (async () => {
        stopRequested = true;
        await new Promise<void>((resolve) => {
          if (exited) return resolve();
          onStopped = resolve;
          worker.postMessage({ type: 'stop' } satisfies ToEngineThread);
        });
        await worker.terminate();
      })()),
  };
}

/**
 * Source for the thread: it loads the engine's TypeScript through tsx, whatever loads it in this thread (tsx,
 * vitest). A `.ts` entry cannot be given directly: Node 20 resolves a worker's entry before `--import` hooks.
 */
function threadBootstrap(): string {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href.replace(/\.cjs$/, '.mjs');
  const entry = new URL('./thread.ts', import.meta.url).href;
  return `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
}

function logToStderr(message: string, err?: unknown) {
  const detail = err instanceof Error ? `: ${err.message}` : err ? `: ${String(err)}` : '';
  process.stderr.write(`[engine] ${message}${detail}\n`);
}
