import { inject } from '@angular/core';
import { CanActivateFn, Router } from '@angular/router';
import { AuthService, Role } from './auth.service';

/** Where each role starts. */
export const HOME_OF: Record<Role, string> = {
  customer: '/customer',
  manager: '/manager',
  admin: '/admin',
};

/** A return URL is used only when it is a path of this app (never another origin) the role may open. */
export function safeReturnUrl(
  url: string | null | undefined,
  role: Role,
): string {
  if (
    url &&
    url.startsWith('/') &&
    !url.startsWith('//') &&
    !url.startsWith('/login') &&
    url.startsWith(HOME_OF[role])
  )
    return url;
  return HOME_OF[role];
}

/** Pages of one role: signed out goes to sign-in (remembering the page); another role goes to its own home. */
export function roleGuard(role: Role): CanActivateFn {
  return async (_route, state) => {
    const auth = inject(AuthService);
    const router = inject(Router);
    const user = await auth.ensureUser();
    if (!user)
      return router.createUrlTree(['/login'], {
        queryParams: { returnUrl: state.url },
      });
    return user.role === role ? true : router.createUrlTree([HOME_OF[user.role]]);
  };
}

/** `/`: the signed-in role's home, else sign-in. */
export const homeRedirectGuard: CanActivateFn = async () => {
  const router = inject(Router);
  const user = await inject(AuthService).ensureUser();
  return router.createUrlTree([user ? HOME_OF[user.role] : '/login']);
};

/** Sign-in and registration: a signed-in user goes to their home. */
export const signedOutGuard: CanActivateFn = async () => {
  const router = inject(Router);
  const user = await inject(AuthService).ensureUser();
  return user ? router.createUrlTree([HOME_OF[user.role]]) : true;
};
