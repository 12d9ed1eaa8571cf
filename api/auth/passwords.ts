import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

/** argon2id cost; each hash records its own parameters, so verifying never needs these. */
export interface PasswordHashing {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/** OWASP's argon2id baseline (19 MiB, 2 passes): ~50 ms here, slow enough to make guessing costly. */
export const STRONG_PASSWORD_HASHING: PasswordHashing = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/** Only for tests, which hash many passwords: never use it for stored accounts. */
export const TEST_ONLY_CHEAP_PASSWORD_HASHING: PasswordHashing = { memoryCost: 64, timeCost: 1, parallelism: 1 };

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

export function hashPassword(password: string, cost: PasswordHashing = STRONG_PASSWORD_HASHING): Promise<string> {
  return hash(password, cost); // the library's default algorithm is argon2id (its enum is const, so not named here)
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false; // a malformed stored hash never grants access
  }
}

/** A fresh password for a person to change later: 120 random bits, no characters easily misread. */
export function generatePassword(): string {
  return randomBytes(15).toString('base64url').replace(/[-_lIO0]/g, (c) => ({ '-': 'x', _: 'y', l: 'L', I: 'i', O: 'o', '0': '9' })[c]!);
}
