import { MikroORM } from '@mikro-orm/core';
import type { EntityManager as SqlEntityManager } from '@mikro-orm/mysql';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@relationship/service-kit';
import { TEST_JWT_PRIVATE_KEY, testEnv } from '@relationship/testing';
import { identityConfigSchema, type IdentityConfig } from '../app/config';
import { systemAuditContext } from '../app/audit/audit-context';
import { createIdentityApp } from '../app/create-identity-app';
import { UsersService } from '../app/users/users.service';

/** Child tables first, so foreign keys never block the cleanup. */
export const IDENTITY_TABLES = ['refresh_token', 'login_throttle', 'security_audit_entry', 'outbox_message', 'processed_event', 'user_account'];

export function identityTestConfig(overrides: Record<string, string> = {}): IdentityConfig {
  return loadConfig(identityConfigSchema, testEnv('relationship_identity', { JWT_PRIVATE_KEY: TEST_JWT_PRIVATE_KEY, ...overrides }));
}

export function startIdentity(overrides: Record<string, string> = {}): Promise<NestFastifyApplication> {
  return createIdentityApp(identityTestConfig(overrides));
}

export function sqlOf(app: NestFastifyApplication): SqlEntityManager {
  return app.get(MikroORM).em.fork() as SqlEntityManager;
}

/** Empties every identity table, so each test starts from nothing and suites can run again and again. */
export async function resetIdentityData(app: NestFastifyApplication): Promise<void> {
  const em = sqlOf(app);
  for (const table of IDENTITY_TABLES) await em.execute(`delete from \`${table}\``);
}

export async function countRows(app: NestFastifyApplication, table: string, where = '1 = 1', params: unknown[] = []): Promise<number> {
  const rows = await sqlOf(app).execute<{ n: number }[]>(`select count(*) as n from \`${table}\` where ${where}`, params);
  return Number(rows[0].n);
}

export interface Session {
  user: { id: string; username: string; role: string; email: string | null; phone: string | null; displayName: string };
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

export const STRONG_PASSWORD = 'Sunrise2026';

export async function register(
  app: NestFastifyApplication,
  body: Record<string, unknown> = {},
): Promise<{ statusCode: number; session: Session; body: Record<string, unknown> }> {
  const payload = { username: 'wang.fang', password: STRONG_PASSWORD, displayName: '王芳', ...body };
  const response = await app.inject({ method: 'POST', url: '/api/auth/register', payload });
  const json = response.json();
  if (response.statusCode !== 202) return { statusCode: response.statusCode, session: json as Session, body: json };
  // registration never signs in (it does not tell whether the account was created): the client signs in next
  const signedIn = await login(app, String(payload.username), String(payload.password));
  return { statusCode: response.statusCode, session: signedIn.json() as Session, body: json };
}

/** `client`: the caller's address as the gateway forwards it (X-Forwarded-For). */
export async function login(app: NestFastifyApplication, username: string, password: string, client?: string) {
  return app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, headers: client ? { 'x-forwarded-for': client } : {} });
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Admins are never self-registered: make one through the service, as the demo seed does, and sign it in. */
export async function adminSession(app: NestFastifyApplication, username = 'root.admin'): Promise<Session> {
  await app
    .get(UsersService)
    .createAccount({ username, password: STRONG_PASSWORD, displayName: '管理员', role: 'admin' }, systemAuditContext('test'), 'user.created');
  const response = await login(app, username, STRONG_PASSWORD);
  if (response.statusCode !== 200) throw new Error(`admin login failed: ${response.body}`);
  return response.json() as Session;
}
