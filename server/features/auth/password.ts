/**
 * Password hashing with Argon2id (RFC 9106) through @node-rs/argon2 (a prebuilt binary,
 * no install script). Parameters: OWASP Password Storage Cheat Sheet's first
 * recommendation — 19 MiB memory, 2 passes, 1 lane — about 20–40 ms per hash here.
 */
import { hash, verify } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';

const ARGON2 = { memoryCost: 19_456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

/** Shortest password accepted for a new account or a change (NIST SP 800-63B §5.1.1.2 says ≥ 8; we ask 12). */
export const MIN_PASSWORD_LENGTH = 12;
/** Longest: Argon2 takes any length, but a megabyte "password" is a denial of service. */
export const MAX_PASSWORD_LENGTH = 200;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2); // argon2id is the library's default algorithm
}

/** False for a wrong password and for a malformed stored hash (never throws). */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;

/**
 * A hash to verify against when the user name does not exist, so that a login for an
 * unknown name takes as long as one for a known name (no user enumeration by timing).
 */
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(16).toString('hex'));
  return dummy;
}
