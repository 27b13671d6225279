import { inject } from '@angular/core';
import { CanActivateFn, Router } from '@angular/router';
import { AuthService } from './auth.service';

/** Pages that need a session: without a token, go to the login page. */
export const signedInGuard: CanActivateFn = () =>
  inject(AuthService).signedIn()
    ? true
    : inject(Router).createUrlTree(['/login']);

/** The login page: with a token already, go to the signed-in page. */
export const signedOutGuard: CanActivateFn = () =>
  inject(AuthService).signedIn() ? inject(Router).createUrlTree(['/']) : true;
