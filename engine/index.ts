/**
 * The embedded Temporal-compatible server: public entry point used by `npm start`, `npm run engine`
 * and the tests. Everything else under engine/ is internal.
 */
export interface EngineOptions {
  /** PostgreSQL connection string; the engine keeps all its state in its own schema there. */
  databaseUrl: string;
  /** host:port to listen on for gRPC; port 0 picks a free one. Default 127.0.0.1:0. */
  listen?: string;
  /** Schema holding the engine's tables. Default `engine`. */
  schema?: string;
}

export interface EngineHandle {
  /** host:port that clients and workers connect to. */
  readonly address: string;
  /** Stops accepting calls, ends long polls, closes the database pool. */
  stop(): Promise<void>;
}

export declare function startEngine(options: EngineOptions): Promise<EngineHandle>;
