import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, URL-safe: unguessable, so a fast hash is enough to store it. */
export function newRefreshTokenSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function hashRefreshToken(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
