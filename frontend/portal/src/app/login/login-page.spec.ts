import { provideHttpClient, withInterceptors } from '@angular/common/http';
import {
  HttpTestingController,
  provideHttpClientTesting,
} from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { provideTestTranslations } from '../../testing/translations';
import { authInterceptor } from '../core/auth.interceptor';
import { ACCESS_TOKEN_KEY, AuthService } from '../core/auth.service';
import { LoginPage } from './login-page';

describe('LoginPage', () => {
  let http: HttpTestingController;

  beforeEach(async () => {
    sessionStorage.clear();
    await TestBed.configureTestingModule({
      imports: [LoginPage],
      providers: [
        provideTestTranslations('zh-CN'),
        provideRouter([]),
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
      ],
    }).compileComponents();
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  async function fillAndSubmit(
    username = 'customer1',
    password = 'wrong-password',
  ) {
    const fixture = TestBed.createComponent(LoginPage);
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    const type = (selector: string, value: string) => {
      const input = el.querySelector<HTMLInputElement>(selector);
      if (!input) throw new Error(`no ${selector}`);
      input.value = value;
      input.dispatchEvent(new Event('input'));
    };
    type('#username', username);
    type('#password', password);
    // no whenStable here: the sign-in is a pending task until its HTTP call is answered
    el.querySelector('form')?.dispatchEvent(new Event('submit'));
    return { fixture, el };
  }

  /** Answers the pending login call, then lets the component render. */
  async function answerLogin(
    fixture: { whenStable(): Promise<unknown> },
    status: number,
    body: object,
    headers?: Record<string, string>,
  ) {
    const request = http.expectOne('/api/auth/login');
    request.flush(body, { status, statusText: 'x', headers });
    await fixture.whenStable();
    return request;
  }

  it("shows the API's own message on 401, with the request id", async () => {
    const { fixture, el } = await fillAndSubmit();
    const request = await answerLogin(fixture, 401, {
      statusCode: 401,
      error: 'Unauthorized',
      message: 'invalid username or password',
      requestId: 'req-401',
    });

    expect(request.request.method).toBe('POST');
    expect(request.request.body).toEqual({
      username: 'customer1',
      password: 'wrong-password',
    });
    expect(request.request.headers.has('Authorization')).toBe(false);
    const alert = el.querySelector('[data-testid="login-error"]');
    expect(alert?.textContent).toContain('用户名或密码错误。');
    expect(
      el.querySelector('[data-testid="login-error-message"]')?.textContent,
    ).toBe('invalid username or password');
    expect(alert?.textContent).toContain('req-401');
    expect(TestBed.inject(AuthService).signedIn()).toBe(false);
  });

  it('explains 429 with the retry delay', async () => {
    const { fixture, el } = await fillAndSubmit();
    await answerLogin(
      fixture,
      429,
      {
        statusCode: 429,
        error: 'Too Many Requests',
        message: 'too many failed attempts; try again later',
        requestId: 'req-429',
      },
      { 'Retry-After': '60' },
    );
    const alert =
      el.querySelector('[data-testid="login-error"]')?.textContent ?? '';
    expect(alert).toContain('尝试次数过多');
    expect(alert).toContain('too many failed attempts; try again later');
    expect(alert).toContain('60 秒');
  });

  it('explains 400 with the validation message', async () => {
    const { fixture, el } = await fillAndSubmit('x'.repeat(10), 'p');
    await answerLogin(fixture, 400, {
      statusCode: 400,
      error: 'Bad Request',
      message: 'username must be shorter than or equal to 64 characters',
      requestId: 'req-400',
    });
    const alert =
      el.querySelector('[data-testid="login-error"]')?.textContent ?? '';
    expect(alert).toContain('请求无效');
    expect(alert).toContain(
      'username must be shorter than or equal to 64 characters',
    );
  });

  it('says so when the server cannot be reached', async () => {
    const { fixture, el } = await fillAndSubmit();
    http.expectOne('/api/auth/login').error(new ProgressEvent('error'));
    await fixture.whenStable();
    expect(
      el.querySelector('[data-testid="login-error"]')?.textContent,
    ).toContain('无法连接到服务器');
  });

  it('does not call the API with an empty form', async () => {
    const { fixture, el } = await fillAndSubmit('', '');
    await fixture.whenStable();
    http.expectNone('/api/auth/login');
    expect(el.textContent).toContain('请输入用户名');
  });

  it('signs in, loads /auth/me with the bearer token, and goes to the signed-in page', async () => {
    const navigate = jest
      .spyOn(TestBed.inject(Router), 'navigateByUrl')
      .mockResolvedValue(true);
    const { fixture } = await fillAndSubmit('admin', 'admin123');
    const user = {
      id: '0b7c1f5e-0000-4000-8000-000000000001',
      username: 'admin',
      displayName: 'Admin',
      role: 'admin',
      status: 'active',
      email: null,
      phone: null,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      lastLoginAt: null,
    };
    http.expectOne('/api/auth/login').flush({
      user,
      accessToken: 'token-1',
      refreshToken: 'refresh-1',
      tokenType: 'Bearer',
      expiresIn: 900,
      refreshExpiresIn: 86400,
    });
    // the login answer is handled in a microtask; then /auth/me goes out (still inside the pending sign-in)
    await new Promise((resolve) => setTimeout(resolve, 0));
    const me = http.expectOne('/api/auth/me');
    expect(me.request.headers.get('Authorization')).toBe('Bearer token-1');
    me.flush(user);
    await fixture.whenStable();

    const auth = TestBed.inject(AuthService);
    expect(auth.user()?.username).toBe('admin');
    expect(sessionStorage.getItem(ACCESS_TOKEN_KEY)).toBe('token-1');
    expect(navigate).toHaveBeenCalledWith('/');
  });
});
