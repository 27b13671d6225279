import { createHash, createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';

/** Access tokens are ES256 (ECDSA P-256): jsonwebtoken, which passport-jwt verifies with, has no EdDSA. */
export const ACCESS_TOKEN_ALGORITHM = 'ES256' as const;

export class KeyError extends Error {
  override readonly name = 'KeyError';
}

/** A public signing key as published in a JWKS. */
export interface PublicJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
  kid: string;
  alg: typeof ACCESS_TOKEN_ALGORITHM;
  use: 'sig';
}

/**
 * Key ids of key pairs whose private half is in this repository (the test key in libs/testing). Production
 * refuses to sign with them or to accept tokens signed by them: anyone who can read the repository could mint tokens.
 */
export const COMMITTED_KEY_IDS: ReadonlySet<string> = new Set(['EX8IBr-gKtERpxh4jf6WgVV2tqRyuY0VZfGg2sJaOCs']);

/** RFC 7638 thumbprint: the key id is derived from the key, so a kid can never point at the wrong key. */
export function jwkThumbprint(jwk: Pick<JsonWebKey, 'crv' | 'kty' | 'x' | 'y'>): string {
  return createHash('sha256').update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y })).digest('base64url');
}

function publicJwkOf(key: KeyObject): PublicJwk {
  const jwk = key.export({ format: 'jwk' });
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || !jwk.x || !jwk.y) throw new KeyError('must be an EC P-256 key (ES256)');
  return { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, kid: jwkThumbprint(jwk), alg: ACCESS_TOKEN_ALGORITHM, use: 'sig' };
}

/** identity's private key and what it publishes of it. */
export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicJwk: PublicJwk;
}

/** A PKCS#8 PEM (`openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256`); `\n` escapes allowed for one-line env files. */
export function signingKeyFromPem(pem: string): SigningKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: pem.replace(/\\n/g, '\n'), format: 'pem' });
  } catch {
    throw new KeyError('must be a PEM-encoded private key (-----BEGIN PRIVATE KEY-----)');
  }
  const publicJwk = publicJwkOf(createPublicKey(privateKey));
  return { kid: publicJwk.kid, privateKey, publicJwk };
}

/** The keys a verifier accepts, by kid: the current signing key and, during a rotation, the previous one. */
export class PublicKeySet {
  private readonly pemByKid: ReadonlyMap<string, string>;

  constructor(readonly jwks: readonly PublicJwk[]) {
    this.pemByKid = new Map(
      jwks.map((jwk) => [jwk.kid, createPublicKey({ key: { ...jwk }, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString()]),
    );
  }

  /** A JWKS document (`{"keys": [...]}`) as identity publishes it. */
  static fromJwks(json: string): PublicKeySet {
    let document: unknown;
    try {
      document = JSON.parse(json);
    } catch {
      throw new KeyError('must be a JWKS document: {"keys": [{"kty": "EC", "crv": "P-256", "x": ..., "y": ...}]}');
    }
    const keys = (document as { keys?: unknown })?.keys;
    if (!Array.isArray(keys) || keys.length === 0) throw new KeyError('must be a JWKS document with at least one key in "keys"');
    const jwks = keys.map((candidate: JsonWebKey & { kid?: unknown }, index) => {
      let jwk: PublicJwk;
      try {
        if (candidate.d !== undefined) throw new KeyError('is a private key; publish only the public part');
        jwk = publicJwkOf(createPublicKey({ key: candidate, format: 'jwk' }));
      } catch (error) {
        throw new KeyError(`key ${index}: ${error instanceof KeyError ? error.message : 'is not a valid EC P-256 public JWK'}`);
      }
      if (candidate.kid !== undefined && candidate.kid !== jwk.kid) {
        throw new KeyError(`key ${index}: kid must be the key's RFC 7638 thumbprint ${jwk.kid}`);
      }
      return jwk;
    });
    return new PublicKeySet(jwks);
  }

  /** The key with this kid, as PEM (what jsonwebtoken takes). */
  pem(kid: string): string | undefined {
    return this.pemByKid.get(kid);
  }

  has(kid: string): boolean {
    return this.pemByKid.has(kid);
  }

  get kids(): string[] {
    return [...this.pemByKid.keys()];
  }
}
