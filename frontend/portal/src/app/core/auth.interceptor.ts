import { HttpErrorResponse, HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { Router } from '@angular/router';
import { catchError, throwError } from 'rxjs';
import { API_BASE_URL } from './api';
import { AuthService } from './auth.service';

/**
 * Adds `Authorization: Bearer <token>` to calls to our own API (never to other origins), and ends the local
 * session when the API rejects the token (401 on anything but the login call itself).
 */
export const authInterceptor: HttpInterceptorFn = (request, next) => {
  const auth = inject(AuthService);
  const router = inject(Router);
  const api = inject(API_BASE_URL);
  const ours = request.url === api || request.url.startsWith(`${api}/`);
  const token = auth.accessToken();
  const isLogin = request.url === `${api}/auth/login`;
  const outgoing =
    ours && token && !isLogin
      ? request.clone({ setHeaders: { Authorization: `Bearer ${token}` } })
      : request;
  return next(outgoing).pipe(
    catchError((error: unknown) => {
      if (
        ours &&
        !isLogin &&
        token &&
        error instanceof HttpErrorResponse &&
        error.status === 401
      ) {
        auth.clear();
        void router.navigate(['/login'], { queryParams: { expired: 1 } });
      }
      return throwError(() => error);
    }),
  );
};
