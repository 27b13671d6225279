import { HttpClient } from '@angular/common/http';
import { computed, inject, Injectable, signal } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import { API_BASE_URL } from './api';

/** GET /api/auth/me (identity's UserView). */
export interface CurrentUser {
  id: string;
  username: string;
  displayName: string;
  role: string;
  status: string;
  email: string | null;
  phone: string | null;
  createdAt: string;
  updatedAt: string;
  lastLoginAt: string | null;
}

/** POST /api/auth/login (identity's SessionView). */
export interface Session {
  user: CurrentUser;
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  refreshExpiresIn: number;
}

/** sessionStorage key of the access token: survives a reload, dies with the tab, never shared across tabs. */
export const ACCESS_TOKEN_KEY = 'relationship.portal.accessToken';

function readStoredToken(): string | null {
  try {
    return globalThis.sessionStorage?.getItem(ACCESS_TOKEN_KEY) ?? null;
  } catch {
    return null; // storage disabled: memory only
  }
}

function storeToken(token: string | null): void {
  try {
    if (token) globalThis.sessionStorage?.setItem(ACCESS_TOKEN_KEY, token);
    else globalThis.sessionStorage?.removeItem(ACCESS_TOKEN_KEY);
  } catch {
    // storage disabled: memory only
  }
}

/**
 * The session: the access token lives in memory and in sessionStorage (a reload keeps you signed in, closing the
 * tab does not); the refresh token only in memory, used to revoke the session on sign-out.
 */
@Injectable({ providedIn: 'root' })
export class AuthService {
  private readonly http = inject(HttpClient);
  private readonly api = inject(API_BASE_URL);

  private readonly token = signal<string | null>(readStoredToken());
  private refreshToken: string | null = null;
  private readonly currentUser = signal<CurrentUser | null>(null);

  readonly accessToken = this.token.asReadonly();
  readonly user = this.currentUser.asReadonly();
  readonly signedIn = computed(() => this.token() !== null);

  /** Signs in and loads the account from /auth/me; rejects with the HttpErrorResponse of the failed call. */
  async login(username: string, password: string): Promise<CurrentUser> {
    const session = await firstValueFrom(
      this.http.post<Session>(`${this.api}/auth/login`, { username, password }),
    );
    this.token.set(session.accessToken);
    this.refreshToken = session.refreshToken;
    storeToken(session.accessToken);
    return this.loadMe();
  }

  /** GET /auth/me with the current token; a 401 ends the local session (see authInterceptor). */
  async loadMe(): Promise<CurrentUser> {
    const user = await firstValueFrom(
      this.http.get<CurrentUser>(`${this.api}/auth/me`),
    );
    this.currentUser.set(user);
    return user;
  }

  /** Forgets the session locally and, when this tab still knows the refresh token, revokes it (best effort). */
  async logout(): Promise<void> {
    const refreshToken = this.refreshToken;
    this.clear();
    if (refreshToken) {
      try {
        await firstValueFrom(
          this.http.post<void>(`${this.api}/auth/logout`, { refreshToken }),
        );
      } catch {
        // the session is gone locally either way; the refresh token expires on its own
      }
    }
  }

  /** Drops token and user without calling the API (expired or rejected token). */
  clear(): void {
    this.token.set(null);
    this.refreshToken = null;
    this.currentUser.set(null);
    storeToken(null);
  }
}
