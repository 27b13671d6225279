import { Inject, Injectable } from '@nestjs/common';
import { METRICS_REGISTRY } from '@relationship/observability';
import { Counter, type Registry } from 'prom-client';

export type LoginOutcome = 'success' | 'invalid_credentials' | 'locked';

@Injectable()
export class LoginMetrics {
  private readonly logins: Counter<'outcome'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.logins = new Counter({
      name: 'identity_logins_total',
      help: 'Login attempts by outcome',
      labelNames: ['outcome'],
      registers: [registry],
    });
    // Export every series from the start, so rates work before the first failure.
    for (const outcome of ['success', 'invalid_credentials', 'locked'] as const) this.logins.inc({ outcome }, 0);
  }

  count(outcome: LoginOutcome): void {
    this.logins.inc({ outcome });
  }
}
