import { HttpErrorResponse, HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { Router } from '@angular/router';
import { catchError, from, switchMap, throwError } from 'rxjs';
import { API_BASE_URL } from './api';
import { AuthService } from './auth.service';

/**
 * Adds `Authorization: Bearer <token>` to calls to our own API (never to other origins). On a 401 it refreshes
 * the session once and repeats the call; when that fails the session has really ended: back to sign-in, with the
 * page the user was on, so they return to it after signing in again.
 */
export const authInterceptor: HttpInterceptorFn = (request, next) => {
  const auth = inject(AuthService);
  const router = inject(Router);
  const api = inject(API_BASE_URL);
  const ours = request.url === api || request.url.startsWith(`${api}/`);
  const token = auth.accessToken();
  if (!ours || !token) return next(request);
  const withToken = (value: string | null) =>
    request.clone({ setHeaders: { Authorization: `Bearer ${value}` } });
  return next(withToken(token)).pipe(
    catchError((error: unknown) => {
      if (!(error instanceof HttpErrorResponse) || error.status !== 401)
        return throwError(() => error);
      return from(auth.refresh()).pipe(
        switchMap((refreshed) => {
          if (refreshed) return next(withToken(auth.accessToken()));
          // during a navigation (a guard loading the account) the page to return to is the one being opened
          const returnUrl =
            router.currentNavigation()?.extractedUrl.toString() ?? router.url;
          void router.navigate(['/login'], {
            queryParams: { expired: 1, returnUrl },
          });
          return throwError(() => error);
        }),
      );
    }),
  );
};
