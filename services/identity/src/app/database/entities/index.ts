import { messagingEntities } from '@relationship/messaging';
import { LoginThrottleSchema } from './login-throttle.entity';
import { RefreshTokenSchema } from './refresh-token.entity';
import { SecurityAuditEntrySchema } from './security-audit-entry.entity';
import { UserSchema } from './user.entity';

export * from './login-throttle.entity';
export * from './refresh-token.entity';
export * from './security-audit-entry.entity';
export * from './user.entity';

/** Every entity identity maps, including the outbox tables of the messaging library. */
export const identityEntities = [UserSchema, RefreshTokenSchema, LoginThrottleSchema, SecurityAuditEntrySchema, ...messagingEntities];
