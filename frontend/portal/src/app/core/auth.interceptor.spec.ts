import {
  HttpClient,
  provideHttpClient,
  withInterceptors,
} from '@angular/common/http';
import {
  HttpTestingController,
  provideHttpClientTesting,
} from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { authInterceptor } from './auth.interceptor';
import { AuthService, refreshDelayMs, SESSION_KEY } from './auth.service';

const session = (accessToken: string, refreshToken: string) => ({
  user: {
    id: 'u1',
    username: 'customer1',
    displayName: 'C',
    role: 'customer',
    status: 'active',
    createdAt: 'x',
    updatedAt: 'x',
  },
  accessToken,
  refreshToken,
  tokenType: 'Bearer',
  expiresIn: 900,
  refreshExpiresIn: 86400,
});
const rejected = {
  statusCode: 401,
  error: 'Unauthorized',
  message: 'token expired',
  requestId: 'r',
};

describe('authInterceptor', () => {
  let http: HttpClient;
  let backend: HttpTestingController;

  beforeEach(() => {
    sessionStorage.setItem(
      SESSION_KEY,
      JSON.stringify({ accessToken: 'old', refreshToken: 'refresh-1', expiresAt: Date.now() + 600_000 }),
    );
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    http = TestBed.inject(HttpClient);
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => {
    backend.verify();
    sessionStorage.clear();
  });

  it('sends the stored token to our API only', () => {
    void firstValueFrom(http.get('/api/profiles/me'));
    void firstValueFrom(http.get('https://elsewhere.example/api/x'));
    expect(backend.expectOne('/api/profiles/me').request.headers.get('Authorization')).toBe('Bearer old');
    expect(backend.expectOne('https://elsewhere.example/api/x').request.headers.has('Authorization')).toBe(false);
  });

  it('on a 401 refreshes once, without a bearer token, and repeats the call with the new token', async () => {
    const call = firstValueFrom(http.get<{ ok: boolean }>('/api/profiles/me'));
    backend.expectOne('/api/profiles/me').flush(rejected, { status: 401, statusText: 'Unauthorized' });
    const refresh = backend.expectOne('/api/auth/refresh');
    expect(refresh.request.body).toEqual({ refreshToken: 'refresh-1' });
    expect(refresh.request.headers.has('Authorization')).toBe(false);
    refresh.flush(session('new', 'refresh-2'));
    await new Promise((r) => setTimeout(r, 0));
    const retry = backend.expectOne('/api/profiles/me');
    expect(retry.request.headers.get('Authorization')).toBe('Bearer new');
    retry.flush({ ok: true });
    await expect(call).resolves.toEqual({ ok: true });
    expect(JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? '{}').refreshToken).toBe('refresh-2');
  });

  it('when the refresh fails too, ends the session and sends the user to sign-in with the page to return to', async () => {
    const router = TestBed.inject(Router);
    jest.spyOn(router, 'url', 'get').mockReturnValue('/customer/risk');
    const navigate = jest.spyOn(router, 'navigate').mockResolvedValue(true);
    const call = firstValueFrom(http.get('/api/profiles/me'));
    backend.expectOne('/api/profiles/me').flush(rejected, { status: 401, statusText: 'Unauthorized' });
    backend.expectOne('/api/auth/refresh').flush(rejected, { status: 401, statusText: 'Unauthorized' });
    await expect(call).rejects.toMatchObject({ status: 401 });
    expect(TestBed.inject(AuthService).signedIn()).toBe(false);
    expect(sessionStorage.getItem(SESSION_KEY)).toBeNull();
    expect(navigate).toHaveBeenCalledWith(['/login'], {
      queryParams: { expired: 1, returnUrl: '/customer/risk' },
    });
  });

  it('shares one refresh between calls rejected at the same time', async () => {
    const calls = [firstValueFrom(http.get('/api/a')), firstValueFrom(http.get('/api/b'))];
    backend.expectOne('/api/a').flush(rejected, { status: 401, statusText: 'Unauthorized' });
    backend.expectOne('/api/b').flush(rejected, { status: 401, statusText: 'Unauthorized' });
    backend.expectOne('/api/auth/refresh').flush(session('new', 'refresh-2'));
    await new Promise((r) => setTimeout(r, 0));
    backend.expectOne('/api/a').flush(1);
    backend.expectOne('/api/b').flush(2);
    await expect(Promise.all(calls)).resolves.toEqual([1, 2]);
  });
});

describe('silent refresh', () => {
  afterEach(() => {
    jest.useRealTimers();
    sessionStorage.clear();
  });

  it('is due a minute before expiry (a fifth of the lifetime for short tokens)', () => {
    expect(refreshDelayMs(1_000_000 + 900_000, 900_000, 1_000_000)).toBe(840_000);
    expect(refreshDelayMs(1_000_000 + 100_000, 100_000, 1_000_000)).toBe(80_000);
    expect(refreshDelayMs(1_000, 900_000, 5_000)).toBe(0);
  });

  it('rotates the tokens before the access token expires, without any API call failing first', async () => {
    jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick'] });
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(withInterceptors([authInterceptor])), provideHttpClientTesting()],
    });
    const auth = TestBed.inject(AuthService);
    const backend = TestBed.inject(HttpTestingController);
    const login = auth.login('customer1', 'pw');
    backend.expectOne('/api/auth/login').flush(session('first', 'refresh-1'));
    await login;
    jest.advanceTimersByTime(839_000);
    backend.expectNone('/api/auth/refresh');
    jest.advanceTimersByTime(2_000);
    backend.expectOne('/api/auth/refresh').flush(session('second', 'refresh-2'));
    await Promise.resolve();
    expect(auth.accessToken()).toBe('second');
    backend.verify();
  });
});
