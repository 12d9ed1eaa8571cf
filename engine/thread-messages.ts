/** What the engine's worker thread and the thread that started it tell each other. */

/** An error as it crosses the thread boundary: structured clone would drop `code` and the class. */
export interface SentError {
  name: string;
  message: string;
  stack?: string;
  code?: unknown;
}

export type FromEngineThread =
  | { type: 'started'; address: string }
  | { type: 'failed'; error: SentError }
  | { type: 'log'; message: string; err?: SentError | string }
  | { type: 'stopped' };

export type ToEngineThread = { type: 'stop' };

export function sendError(err: unknown): SentError {
  if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack, code: (err as { code?: unknown }).code };
  return { name: 'Error', message: String(err) };
}

export function receiveError(sent: SentError): Error {
  const err = new Error(sent.message);
  err.name = sent.name;
  if (sent.stack) err.stack = sent.stack;
  if (sent.code !== undefined) (err as { code?: unknown }).code = sent.code;
  return err;
}
