import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { PasswordsModule } from '../passwords/passwords.module';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { LoginMetrics } from './login-metrics';
import { LoginThrottleService } from './login-throttle.service';
import { RefreshTokensService } from './refresh-tokens.service';

/** Sign-in, token rotation and sign-out. (Token verification and guards come from @relationship/auth's AuthModule.) */
@Module({
  imports: [AuditModule, PasswordsModule, UsersModule],
  controllers: [AuthController],
  providers: [AuthService, LoginThrottleService, RefreshTokensService, LoginMetrics],
})
export class AuthenticationModule {}
