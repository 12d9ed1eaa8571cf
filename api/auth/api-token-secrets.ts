import { randomSecret, sha256Hex } from './secrets';

/** Tokens start with a fixed marker so leaked ones are easy to recognise in code, logs or scans. */
const TOKEN_MARKER = 'lt_';
const SHOWN_PREFIX_LENGTH = 10;
const TOKEN_PATTERN = /^lt_[A-Za-z0-9_-]{43}$/;

export interface NewTokenSecret {
  /** Shown to its creator once, never stored. */
  token: string;
  prefix: string;
  hash: string;
}

export function newTokenSecret(): NewTokenSecret {
  const token = TOKEN_MARKER + randomSecret();
  return { token, prefix: token.slice(0, SHOWN_PREFIX_LENGTH), hash: sha256Hex(token) };
}

/** Hash to look a presented token up by, or undefined when it cannot be one of ours. */
export function presentedTokenHash(token: string): string | undefined {
  return TOKEN_PATTERN.test(token) ? sha256Hex(token) : undefined;
}
