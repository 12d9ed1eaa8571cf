/**
 * Entry point of the engine's worker thread: runs the engine here and answers the thread that started it
 * (see startEngine in ./index). Its log calls travel back there, to the caller's log function.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { startEngineOnThisThread, type EngineOptions } from './in-thread';
import { sendError, type FromEngineThread, type ToEngineThread } from './thread-messages';

const port = parentPort!;
const post = (message: FromEngineThread) => port.postMessage(message);

const options: EngineOptions = {
  ...(workerData as Omit<EngineOptions, 'log'>),
  log: (message, err) => post({ type: 'log', message, err: err === undefined ? undefined : err instanceof Error ? sendError(err) : String(err) }),
};

try {
  const engine = await startEngineOnThisThread(options);
  port.on('message', (message: ToEngineThread) => {
    if (message.type === 'stop') void engine.stop().finally(() => post({ type: 'stopped' }));
  });
  post({ type: 'started', address: engine.address });
} catch (err) {
  post({ type: 'failed', error: sendError(err) });
}
