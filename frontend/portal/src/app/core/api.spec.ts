import { HttpErrorResponse, HttpHeaders } from '@angular/common/http';
import { errorKeyOf, fieldMessages, toApiError } from './api';

describe('toApiError', () => {
  it('reads the unified error body and Retry-After', () => {
    const error = new HttpErrorResponse({
      status: 429,
      error: {
        statusCode: 429,
        error: 'Too Many Requests',
        message: 'slow down',
        requestId: 'r-1',
      },
      headers: new HttpHeaders({ 'Retry-After': '30' }),
    });
    expect(toApiError(error)).toEqual({
      status: 429,
      message: 'slow down',
      requestId: 'r-1',
      retryAfterSeconds: 30,
    });
    expect(errorKeyOf(toApiError(error))).toBe('errors.tooManyRequests');
  });

  it('parses a body that arrived as text', () => {
    const error = new HttpErrorResponse({
      status: 400,
      error: JSON.stringify({
        statusCode: 400,
        error: 'Bad Request',
        message: 'bad',
        requestId: 'r-2',
      }),
    });
    expect(toApiError(error)).toMatchObject({
      status: 400,
      message: 'bad',
      requestId: 'r-2',
    });
  });

  it('copes with foreign bodies and non-HTTP errors', () => {
    expect(
      toApiError(
        new HttpErrorResponse({
          status: 502,
          error: '<html>bad gateway</html>',
        }),
      ),
    ).toEqual({
      status: 502,
      message: null,
      requestId: null,
      retryAfterSeconds: null,
    });
    expect(toApiError(new Error('boom')).status).toBe(0);
  });

  it.each([
    [0, 'errors.network'],
    [400, 'errors.badRequest'],
    [401, 'errors.unauthorized'],
    [403, 'errors.forbidden'],
    [404, 'errors.generic'],
    [503, 'errors.server'],
  ])('status %s -> %s', (status, key) => {
    expect(
      errorKeyOf({
        status,
        message: null,
        requestId: null,
        retryAfterSeconds: null,
      }),
    ).toBe(key);
  });
});

describe('fieldMessages', () => {
  const fields = ['username', 'password', 'displayName', 'riskAnswers', 'consent'] as const;

  it("splits the API's message into the fields it names", () => {
    const { byField, other } = fieldMessages(
      'username may contain only lowercase letters; username must be longer than or equal to 3 characters; displayName must be longer than or equal to 1 characters; each value in riskAnswers must be one of A, B, C, D; consent.profiling must be a boolean value; something else went wrong',
      fields,
    );
    expect(byField).toEqual({
      username: 'username may contain only lowercase letters; username must be longer than or equal to 3 characters',
      displayName: 'displayName must be longer than or equal to 1 characters',
      riskAnswers: 'each value in riskAnswers must be one of A, B, C, D',
      consent: 'consent.profiling must be a boolean value',
    });
    expect(other).toEqual(['something else went wrong']);
  });

  it('does not take a field whose name only starts the same', () => {
    expect(fieldMessages('usernames are closed', fields).byField).toEqual({});
    expect(fieldMessages(null, fields)).toEqual({ byField: {}, other: [] });
  });
});
