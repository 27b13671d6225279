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
import { ACCESS_TOKEN_KEY, AuthService } from './auth.service';

describe('authInterceptor', () => {
  let http: HttpClient;
  let backend: HttpTestingController;

  beforeEach(() => {
    sessionStorage.setItem(ACCESS_TOKEN_KEY, 'stored-token');
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
    expect(
      backend
        .expectOne('/api/profiles/me')
        .request.headers.get('Authorization'),
    ).toBe('Bearer stored-token');
    expect(
      backend
        .expectOne('https://elsewhere.example/api/x')
        .request.headers.has('Authorization'),
    ).toBe(false);
  });

  it('ends the session when the API rejects the token', async () => {
    const navigate = jest
      .spyOn(TestBed.inject(Router), 'navigate')
      .mockResolvedValue(true);
    const call = firstValueFrom(http.get('/api/auth/me'));
    backend.expectOne('/api/auth/me').flush(
      {
        statusCode: 401,
        error: 'Unauthorized',
        message: 'token expired',
        requestId: 'r',
      },
      { status: 401, statusText: 'Unauthorized' },
    );
    await expect(call).rejects.toMatchObject({ status: 401 });
    expect(TestBed.inject(AuthService).signedIn()).toBe(false);
    expect(sessionStorage.getItem(ACCESS_TOKEN_KEY)).toBeNull();
    expect(navigate).toHaveBeenCalledWith(['/login'], {
      queryParams: { expired: 1 },
    });
  });
});
