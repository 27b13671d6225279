import { HttpBackend, HttpClient } from '@angular/common/http';
import {
  computed,
  DestroyRef,
  inject,
  Injectable,
  signal,
} from '@angular/core';
import { firstValueFrom } from 'rxjs';
import { API_BASE_URL } from './api';
import type { SessionView, UserView } from './api-types';

export type Role = UserView['role'];
export type CurrentUser = UserView;

/** sessionStorage key of the session: survives a reload, dies with the tab, never shared across tabs. */
export const SESSION_KEY = 'relationship.portal.session';
/** Refresh this long before the access token expires (and at most at 80 % of its life for short tokens). */
export const REFRESH_MARGIN_MS = 60_000;

interface StoredSession {
  accessToken: string;
  refreshToken: string;
  /** epoch ms when the access token expires */
  expiresAt: number;
}

function readStored(): StoredSession | null {
  try {
    const raw = globalThis.sessionStorage?.getItem(SESSION_KEY);
    const parsed = raw ? (JSON.parse(raw) as Partial<StoredSession>) : null;
    return parsed?.accessToken && parsed.refreshToken && parsed.expiresAt
      ? (parsed as StoredSession)
      : null;
  } catch {
    return null; // storage disabled or garbage: start signed out
  }
}

function store(session: StoredSession | null): void {
  try {
    if (session)
      globalThis.sessionStorage?.setItem(SESSION_KEY, JSON.stringify(session));
    else globalThis.sessionStorage?.removeItem(SESSION_KEY);
  } catch {
    // storage disabled: memory only
  }
}

/** When to refresh a token that expires at `expiresAt`, issued `lifetimeMs` ago at most. */
export function refreshDelayMs(
  expiresAt: number,
  lifetimeMs: number,
  now: number,
): number {
  const margin = Math.min(REFRESH_MARGIN_MS, lifetimeMs * 0.2);
  return Math.max(0, expiresAt - margin - now);
}

/**
 * The session: access and refresh token in memory and sessionStorage (a reload keeps you signed in, closing the
 * tab does not). The access token is refreshed silently before it expires; a refresh that fails ends the session.
 */
@Injectable({ providedIn: 'root' })
export class AuthService {
  private readonly http = inject(HttpClient);
  /** Refresh calls go past the interceptors: they carry no bearer token and must not trigger another refresh. */
  private readonly bare = new HttpClient(inject(HttpBackend));
  private readonly api = inject(API_BASE_URL);

  private readonly session = signal<StoredSession | null>(readStored());
  private readonly currentUser = signal<CurrentUser | null>(null);
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private refreshing: Promise<boolean> | null = null;

  readonly accessToken = computed(() => this.session()?.accessToken ?? null);
  readonly user = this.currentUser.asReadonly();
  readonly role = computed(() => this.currentUser()?.role ?? null);
  readonly signedIn = computed(() => this.session() !== null);

  constructor() {
    const stored = this.session();
    if (stored) this.schedule(stored, stored.expiresAt - Date.now());
    inject(DestroyRef).onDestroy(() => clearTimeout(this.refreshTimer));
  }

  /** Signs in; rejects with the HttpErrorResponse of the failed call. */
  async login(username: string, password: string): Promise<CurrentUser> {
    const session = await firstValueFrom(
      this.bare.post<SessionView>(`${this.api}/auth/login`, {
        username,
        password,
      }),
    );
    return this.start(session);
  }

  /**
   * Customer self-registration, then sign-in: the API answers registration the same way whether or not the
   * username was free (it never tells who is a customer), so a failed sign-in right after means "choose another".
   */
  async register(body: {
    username: string;
    password: string;
    displayName: string;
    email: string | null;
    phone: string | null;
  }): Promise<CurrentUser> {
    await firstValueFrom(this.bare.post(`${this.api}/auth/register`, body));
    return this.login(body.username, body.password);
  }

  /** The account (GET /auth/me), loaded once per page load: after a reload only the tokens survive. */
  async ensureUser(): Promise<CurrentUser | null> {
    if (this.currentUser()) return this.currentUser();
    if (!this.session()) return null;
    try {
      const user = await firstValueFrom(
        this.http.get<CurrentUser>(`${this.api}/auth/me`),
      );
      this.currentUser.set(user);
      return user;
    } catch {
      this.clear();
      return null;
    }
  }

  /**
   * Rotates the refresh token (one at a time: concurrent callers share the call). True when a new access token
   * is in place; false ends the session.
   */
  refresh(): Promise<boolean> {
    this.refreshing ??= this.rotate().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async rotate(): Promise<boolean> {
    const refreshToken = this.session()?.refreshToken;
    if (!refreshToken) return false;
    try {
      const next = await firstValueFrom(
        this.bare.post<SessionView>(`${this.api}/auth/refresh`, {
          refreshToken,
        }),
      );
      this.keep(next);
      this.currentUser.set(next.user);
      return true;
    } catch {
      this.clear();
      return false;
    }
  }

  /** Forgets the session locally and revokes the refresh token (best effort). */
  async logout(): Promise<void> {
    const refreshToken = this.session()?.refreshToken;
    this.clear();
    if (refreshToken) {
      try {
        await firstValueFrom(
          this.bare.post<void>(`${this.api}/auth/logout`, { refreshToken }),
        );
      } catch {
        // the session is gone locally either way; the refresh token expires on its own
      }
    }
  }

  /** Drops tokens and user without calling the API (expired or rejected session). */
  clear(): void {
    clearTimeout(this.refreshTimer);
    this.session.set(null);
    this.currentUser.set(null);
    store(null);
  }

  private start(session: SessionView): CurrentUser {
    this.keep(session);
    this.currentUser.set(session.user);
    return session.user;
  }

  private keep(session: SessionView): void {
    const lifetimeMs = session.expiresIn * 1000;
    const stored: StoredSession = {
      accessToken: session.accessToken,
      refreshToken: session.refreshToken,
      expiresAt: Date.now() + lifetimeMs,
    };
    this.session.set(stored);
    store(stored);
    this.schedule(stored, lifetimeMs);
  }

  private schedule(session: StoredSession, lifetimeMs: number): void {
    clearTimeout(this.refreshTimer);
    const delay = refreshDelayMs(session.expiresAt, lifetimeMs, Date.now());
    this.refreshTimer = setTimeout(() => void this.refresh(), delay);
  }
}
