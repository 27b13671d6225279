import { provideHttpClient, withInterceptors } from '@angular/common/http';
import {
  HttpTestingController,
  provideHttpClientTesting,
} from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { provideTestTranslations } from '../../testing/translations';
import { authInterceptor } from '../core/auth.interceptor';
import { AuthService, SESSION_KEY } from '../core/auth.service';
import { LoginPage } from './login-page';

const user = {
  id: '0b7c1f5e-0000-4000-8000-000000000001',
  username: 'customer1',
  displayName: '王芳',
  role: 'customer',
  status: 'active',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

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
    returnUrl?: string,
  ) {
    const fixture = TestBed.createComponent(LoginPage);
    if (returnUrl) fixture.componentRef.setInput('returnUrl', returnUrl);
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

  const text = (el: HTMLElement, testId: string) =>
    el.querySelector(`[data-testid="${testId}"]`)?.textContent ?? '';

  it('says plainly that the username or password is wrong, with the request id', async () => {
    const { fixture, el } = await fillAndSubmit();
    const request = await answerLogin(fixture, 401, {
      statusCode: 401,
      error: 'Unauthorized',
      message: 'invalid username or password',
      requestId: 'req-401',
    });
    expect(request.request.body).toEqual({ username: 'customer1', password: 'wrong-password' });
    expect(request.request.headers.has('Authorization')).toBe(false);
    expect(text(el, 'login-error')).toContain('用户名或密码错误。');
    expect(text(el, 'login-error')).toContain('req-401');
    expect(TestBed.inject(AuthService).signedIn()).toBe(false);
  });

  it('explains a lockout (429) in plain words, with the wait in minutes when the API gives one', async () => {
    const { fixture, el } = await fillAndSubmit();
    await answerLogin(
      fixture,
      429,
      { statusCode: 429, error: 'Too Many Requests', message: 'too many failed attempts; try again later', requestId: 'req-429' },
      { 'Retry-After': '900' },
    );
    const alert = text(el, 'login-error');
    expect(alert).toContain('登录尝试次数过多');
    expect(alert).toContain('暂时无法登录');
    expect(alert).toContain('约 15 分钟');
  });

  it("puts the API's validation message at the field it names", async () => {
    const { fixture, el } = await fillAndSubmit('x'.repeat(10), 'p');
    await answerLogin(fixture, 400, {
      statusCode: 400,
      error: 'Bad Request',
      message: 'username must be shorter than or equal to 64 characters',
      requestId: 'req-400',
    });
    expect(text(el, 'error-username')).toBe('username must be shorter than or equal to 64 characters');
    expect(el.querySelector('[data-testid="error-password"]')).toBeNull();
  });

  it('says so when the server cannot be reached', async () => {
    const { fixture, el } = await fillAndSubmit();
    http.expectOne('/api/auth/login').error(new ProgressEvent('error'));
    await fixture.whenStable();
    expect(text(el, 'login-error')).toContain('无法连接到服务器');
  });

  it('does not call the API with an empty form', async () => {
    const { fixture, el } = await fillAndSubmit('', '');
    await fixture.whenStable();
    http.expectNone('/api/auth/login');
    expect(el.textContent).toContain('请输入用户名');
  });

  it('signs in and returns to the page the user was on', async () => {
    const navigate = jest.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    const { fixture } = await fillAndSubmit('customer1', '123456', '/customer/risk');
    await answerLogin(fixture, 200, {
      user,
      accessToken: 'token-1',
      refreshToken: 'refresh-1',
      tokenType: 'Bearer',
      expiresIn: 900,
      refreshExpiresIn: 86400,
    });
    expect(TestBed.inject(AuthService).user()?.username).toBe('customer1');
    expect(JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? '{}').accessToken).toBe('token-1');
    expect(navigate).toHaveBeenCalledWith('/customer/risk');
  });

  it("ignores a return URL of another role or origin and goes to the role's home", async () => {
    const navigate = jest.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    const { fixture } = await fillAndSubmit('customer1', '123456', '//evil.example/manager');
    await answerLogin(fixture, 200, {
      user,
      accessToken: 't',
      refreshToken: 'r',
      tokenType: 'Bearer',
      expiresIn: 900,
      refreshExpiresIn: 86400,
    });
    expect(navigate).toHaveBeenCalledWith('/customer');
  });
});
