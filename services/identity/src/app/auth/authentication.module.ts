import { Module } from '@nestjs/common';
import { AccessTokenSigner } from '@relationship/auth';
import { AuditModule } from '../audit/audit.module';
import { PasswordsModule } from '../passwords/passwords.module';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { IDENTITY_CONFIG, type IdentityConfig } from '../config';
import { JwksController } from './jwks.controller';
import { LoginUnlockController } from './login-unlock.controller';
import { LoginMetrics } from './login-metrics';
import { LoginThrottleService } from './login-throttle.service';
import { RefreshTokensService } from './refresh-tokens.service';

/**
 * Sign-in, token rotation and sign-out, and the JWKS. identity is the only holder of the signing key; token
 * verification and guards come from @relationship/auth's AuthModule, with the public keys, as everywhere.
 */
@Module({
  imports: [AuditModule, PasswordsModule, UsersModule],
  controllers: [AuthController, JwksController, LoginUnlockController],
  providers: [
    AuthService,
    LoginThrottleService,
    RefreshTokensService,
    LoginMetrics,
    {
      provide: AccessTokenSigner,
      inject: [IDENTITY_CONFIG],
      useFactory: (config: IdentityConfig) =>
        new AccessTokenSigner({ signingKey: config.JWT_PRIVATE_KEY, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE }),
    },
  ],
})
export class AuthenticationModule {}
