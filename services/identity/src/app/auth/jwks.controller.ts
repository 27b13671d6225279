import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public, type PublicJwk } from '@relationship/auth';
import { IDENTITY_CONFIG, type IdentityConfig } from '../config';

/** The public keys access tokens are verified with (RFC 7517), for verifiers and key-rotation checks. */
@ApiTags('auth')
@Controller('.well-known')
export class JwksController {
  constructor(@Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig) {}

  @Public()
  @Get('jwks.json')
  @Header('cache-control', 'public, max-age=300')
  @ApiOperation({ summary: 'JWKS: the public keys of access tokens, by kid (the signing key and, during a rotation, the other)' })
  @ApiOkResponse({ description: '{"keys": [...]}' })
  jwks(): { keys: readonly PublicJwk[] } {
    return { keys: this.config.JWT_PUBLIC_KEYS.jwks };
  }
}
