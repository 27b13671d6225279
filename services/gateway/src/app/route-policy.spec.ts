import type { Role } from '@relationship/contracts';
import {
  compilePolicy,
  decide,
  matchRoute,
  pathOf,
  ROUTE_POLICY,
  type RouteRule,
} from './route-policy';

const policy = compilePolicy(ROUTE_POLICY);
const outcome = (method: string, path: string, role?: Role) =>
  decide(matchRoute(policy, method, path), role).outcome;

describe('route policy', () => {
  describe('public routes', () => {
    it.each([
      ['POST', '/api/auth/register'],
      ['POST', '/api/auth/login'],
      ['POST', '/api/auth/refresh'],
      ['POST', '/api/auth/logout'],
      ['GET', '/api/docs'],
      ['GET', '/api/docs/'],
      ['GET', '/api/docs-json'],
      ['GET', '/api/docs/swagger-ui.css'],
      ['GET', '/health/live'],
      ['GET', '/health/ready'],
      ['GET', '/metrics'],
    ])('%s %s needs no token', (method, path) => {
      expect(outcome(method, path)).toBe('allow');
    });

    it('marks only register, login and refresh for the stricter per-IP limit', () => {
      const limited = ['register', 'login', 'refresh', 'logout'].filter(
        (p) => matchRoute(policy, 'POST', `/api/auth/${p}`)?.authRateLimit,
      );
      expect(limited).toEqual(['register', 'login', 'refresh']);
    });
  });

  describe('per role', () => {
    it.each<[string, string, Role | undefined, string]>([
      ['GET', '/api/auth/me', undefined, 'unauthenticated'],
      ['GET', '/api/auth/me', 'customer', 'allow'],
      ['GET', '/api/auth/me', 'manager', 'allow'],
      ['GET', '/api/auth/me', 'admin', 'allow'],

      ['GET', '/api/users', 'admin', 'allow'],
      ['GET', '/api/users/42', 'admin', 'allow'],
      ['PATCH', '/api/users/42/role', 'admin', 'allow'],
      ['GET', '/api/users', 'manager', 'forbidden'],
      ['GET', '/api/users', 'customer', 'forbidden'],
      ['GET', '/api/users', undefined, 'unauthenticated'],
      ['GET', '/api/audit', 'admin', 'allow'],
      ['GET', '/api/audit/events', 'manager', 'forbidden'],

      ['GET', '/api/profiles/me', 'customer', 'allow'],
      ['PATCH', '/api/profiles/me', 'customer', 'allow'],
      ['GET', '/api/profiles/risk-questionnaire', 'customer', 'allow'],
      ['POST', '/api/profiles/risk-questionnaire', 'customer', 'forbidden'],
      ['GET', '/api/profiles/me', 'manager', 'forbidden'],
      ['GET', '/api/profiles/me', 'admin', 'forbidden'],
      ['GET', '/api/profiles', 'customer', 'forbidden'],
      ['GET', '/api/profiles/123', 'customer', 'forbidden'],
      ['GET', '/api/profiles/123', 'manager', 'allow'],
      ['POST', '/api/profiles/import', 'admin', 'allow'],
      ['DELETE', '/api/profiles/123', 'manager', 'allow'],

      ['GET', '/api/managers', 'manager', 'allow'],
      ['GET', '/api/managers/7', 'admin', 'allow'],
      ['GET', '/api/managers', 'customer', 'forbidden'],
      ['POST', '/api/managers', 'manager', 'forbidden'],
      ['POST', '/api/managers', 'admin', 'allow'],
      ['PUT', '/api/managers/7/availability', 'admin', 'allow'],

      ['GET', '/api/matching/assignments', 'manager', 'allow'],
      ['GET', '/api/matching/assignments', 'customer', 'forbidden'],
      ['POST', '/api/matching/runs', 'manager', 'forbidden'],
      ['POST', '/api/matching/runs', 'admin', 'allow'],
      ['GET', '/api/matching/me/assignment', 'customer', 'allow'],
      ['GET', '/api/matching/me/assignment', 'manager', 'forbidden'],
      ['GET', '/api/matching/history', 'customer', 'allow'],
      ['POST', '/api/matching/proposals/p1/accept', 'manager', 'allow'],
      ['POST', '/api/matching/proposals/p1/decline', 'customer', 'forbidden'],
      ['POST', '/api/matching/customers/c1/reassign', 'manager', 'forbidden'],
      ['GET', '/api/analytics/distribution', 'manager', 'allow'],
      ['GET', '/api/analytics/distribution', 'customer', 'forbidden'],
      ['DELETE', '/api/analytics/x', 'manager', 'forbidden'],
    ])('%s %s as %s → %s', (method, path, role, expected) => {
      expect(outcome(method, path, role)).toBe(expected);
    });

    it('names the roles a forbidden caller would need', () => {
      expect(
        decide(matchRoute(policy, 'POST', '/api/managers'), 'manager'),
      ).toEqual({ outcome: 'forbidden', roles: ['admin'] });
    });
  });

  describe('deny by default', () => {
    it.each([
      ['GET', '/api/auth/login'], // login is POST only
      ['POST', '/api/auth/me'],
      ['GET', '/api/auth'],
      ['POST', '/api/auth/login/extra'],
      ['POST', '/api/auth/login/'],
      ['GET', '/api/unknown'],
      ['GET', '/api'],
      ['GET', '/api/'],
      ['GET', '/api/usersx'], // a prefix is a whole segment
      ['GET', '/api/profilesx/1'],
      ['POST', '/health/live'],
      ['GET', '/metricsx'],
      ['DELETE', '/metrics'],
      ['OPTIONS', '/api/users'],
      ['TRACE', '/api/profiles/1'],
      ['GET', '/API/users'], // case matters, as in the router
    ])('%s %s matches no rule', (method, path) => {
      expect(matchRoute(policy, method, path)).toBeUndefined();
      expect(outcome(method, path, 'admin')).toBe('not-found');
    });

    it('does not decode the path: an encoded segment never reaches a more permissive rule', () => {
      // %6De is "me": not the customer's exact rule, so it falls to the staff rule and a customer is refused
      expect(outcome('GET', '/api/profiles/%6De', 'customer')).toBe(
        'forbidden',
      );
      expect(matchRoute(policy, 'POST', '/api/auth/%6Cogin')).toBeUndefined();
    });
  });

  describe('method matching', () => {
    it('checks HEAD as GET', () => {
      expect(outcome('HEAD', '/api/managers', 'manager')).toBe('allow');
      expect(outcome('HEAD', '/health/live')).toBe('allow');
      expect(outcome('HEAD', '/api/users', 'customer')).toBe('forbidden');
    });

    it('takes the first matching rule, so a method-specific rule before a wildcard one wins', () => {
      const rules: RouteRule[] = [
        { methods: ['GET'], path: '/x/**', access: 'public' },
        { methods: ['GET', 'POST'], path: '/x/**', access: ['admin'] },
      ];
      const compiled = compilePolicy(rules);
      expect(
        decide(matchRoute(compiled, 'GET', '/x/1'), undefined).outcome,
      ).toBe('allow');
      expect(
        decide(matchRoute(compiled, 'POST', '/x/1'), undefined).outcome,
      ).toBe('unauthenticated');
      expect(
        decide(matchRoute(compiled, 'POST', '/x/1'), 'customer').outcome,
      ).toBe('forbidden');
    });

    it('the customer exact rule comes before the staff prefix rule for /api/profiles/me', () => {
      expect(matchRoute(policy, 'GET', '/api/profiles/me')?.access).toEqual([
        'customer',
      ]);
      // methods outside the customer rule fall through to the staff rule
      expect(outcome('DELETE', '/api/profiles/me', 'customer')).toBe(
        'forbidden',
      );
      expect(outcome('DELETE', '/api/profiles/me', 'admin')).toBe('allow');
    });
  });

  describe('pathOf', () => {
    it('drops query string and fragment', () => {
      expect(pathOf('/api/profiles?q=1&x=/api/users')).toBe('/api/profiles');
      expect(pathOf('/api/docs#top')).toBe('/api/docs');
      expect(pathOf('/metrics')).toBe('/metrics');
    });
  });
});
