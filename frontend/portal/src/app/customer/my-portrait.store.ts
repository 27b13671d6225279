import { HttpClient, httpResource } from '@angular/common/http';
import { inject, Injectable, signal } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import { API_BASE_URL } from '../core/api';
import type { CustomerUpdateDto, PortraitView } from '../core/api-types';

/** The signed-in customer's own portrait (GET /api/profiles/me), shared by the customer's pages, and its changes. */
@Injectable()
export class MyPortraitStore {
  private readonly http = inject(HttpClient);
  private readonly api = inject(API_BASE_URL);
  readonly portrait = httpResource<PortraitView>(() => `${this.api}/profiles/me`);
  readonly saving = signal(false);

  /**
   * PATCH /api/profiles/me, based on the version shown (If-Match, the ETag convention of every versioned resource:
   * 412 when it changed meanwhile); the answer is the new portrait (risk level, needs and version re-derived).
   */
  async save(change: CustomerUpdateDto): Promise<PortraitView> {
    this.saving.set(true);
    try {
      const version = this.portrait.value()?.version;
      const headers = version === undefined ? undefined : { 'If-Match': `"${version}"` };
      const next = await firstValueFrom(
        this.http.patch<PortraitView>(`${this.api}/profiles/me`, change, { headers }),
      );
      this.portrait.set(next);
      return next;
    } finally {
      this.saving.set(false);
    }
  }
}
