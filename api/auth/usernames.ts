/** Usernames are compared lower-case and NFC so "VanThu" and "vanthu" are one account. */
export function normalizeUsername(input: string): string {
  return input.normalize('NFC').trim().toLowerCase();
}

/** Mirrors the users.username check constraint: 3–64 of a–z, 0–9, dot, underscore, hyphen; starts with a letter or digit. */
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{2,63}$/;
export const USERNAME_MAX_LENGTH = 64;
