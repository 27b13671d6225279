import { defineEntity, p } from '@mikro-orm/core';

/**
 * Failed-login counter per normalised username *and client* (throttleKey = hash of both), whether or not such a
 * user exists: it behaves identically for both, so it reveals nothing, and a stranger's failures delay only the
 * stranger. `username` lets an admin clear every client's counter of one account.
 */
export const LoginThrottleSchema = defineEntity({
  name: 'LoginThrottle',
  tableName: 'login_throttle',
  properties: {
    throttleKey: p.string().length(64).primary(),
    username: p.string().length(64).index(),
    failures: p.integer().unsigned(),
    windowStartedAt: p.datetime(3),
    /** No attempt from this client before then (a growing delay, never a lock of the account). */
    lockedUntil: p.datetime(3).nullable(),
  },
});
export class LoginThrottle extends LoginThrottleSchema.class {}
LoginThrottleSchema.setClass(LoginThrottle);
