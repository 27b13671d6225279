import { defineEntity, p } from '@mikro-orm/core';

/**
 * Failed-login counter per normalised username, whether or not such a user exists:
 * keyed by the string, lockout behaves identically for both, so it reveals nothing.
 */
export const LoginThrottleSchema = defineEntity({
  name: 'LoginThrottle',
  tableName: 'login_throttle',
  properties: {
    username: p.string().length(64).primary(),
    failures: p.integer().unsigned(),
    windowStartedAt: p.datetime(3),
    lockedUntil: p.datetime(3).nullable(),
  },
});
export class LoginThrottle extends LoginThrottleSchema.class {}
LoginThrottleSchema.setClass(LoginThrottle);
