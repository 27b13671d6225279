import { HttpClient } from '@angular/common/http';
import {
  ChangeDetectionStrategy,
  Component,
  DOCUMENT,
  inject,
  OnInit,
  PendingTasks,
  signal,
} from '@angular/core';
import { TranslatePipe } from '@ngx-translate/core';
import { firstValueFrom } from 'rxjs';
import { API_BASE_URL, toApiError } from '../core/api';

type DocsState =
  | { kind: 'checking' }
  | { kind: 'up'; title: string | null; version: string | null; paths: number }
  | { kind: 'down'; status: number };

interface OpenApiDocument {
  info?: { title?: string; version?: string };
  paths?: Record<string, unknown>;
}

/** Where the API is, and whether its OpenAPI document (`/api/docs-json`) answers. */
@Component({
  selector: 'app-api-status-card',
  imports: [TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="card status" aria-labelledby="api-status-heading">
      <h2 id="api-status-heading">{{ 'status.heading' | translate }}</h2>
      <dl>
        <dt>{{ 'status.baseUrl' | translate }}</dt>
        <dd>
          <code data-testid="api-base-url">{{ baseUrl }}</code>
        </dd>
        <dt>{{ 'status.docs' | translate }}</dt>
        <dd data-testid="api-docs-state" aria-live="polite">
          @let s = state();
          @if (s.kind === 'checking') {
            <span class="pill">{{ 'status.checking' | translate }}</span>
          } @else if (s.kind === 'up') {
            <span class="pill ok">{{ 'status.up' | translate }}</span>
            <span class="muted">{{
              'status.upDetail'
                | translate
                  : {
                      title: s.title ?? 'OpenAPI',
                      version: s.version ?? '?',
                      paths: s.paths,
                    }
            }}</span>
          } @else {
            <span class="pill bad">{{ 'status.down' | translate }}</span>
            <span class="muted">{{
              (s.status === 0 ? 'status.noAnswer' : 'status.httpStatus')
                | translate: { status: s.status }
            }}</span>
          }
          <button type="button" class="link" (click)="check()">
            {{ 'status.recheck' | translate }}
          </button>
        </dd>
      </dl>
    </section>
  `,
})
export class ApiStatusCard implements OnInit {
  private readonly http = inject(HttpClient);
  private readonly api = inject(API_BASE_URL);
  private readonly document = inject(DOCUMENT);
  private readonly pendingTasks = inject(PendingTasks);

  /** The base URL as the browser resolves it (the relative `/api` against this page). */
  protected readonly baseUrl = new URL(
    this.api,
    this.document.location?.href ?? 'http://localhost/',
  ).href;
  protected readonly state = signal<DocsState>({ kind: 'checking' });

  ngOnInit(): void {
    void this.check();
  }

  /** Tracked as a pending task: the app (and a test's whenStable) counts as busy until the answer is shown. */
  async check(): Promise<void> {
    const done = this.pendingTasks.add();
    try {
      await this.probe();
    } finally {
      done();
    }
  }

  private async probe(): Promise<void> {
    this.state.set({ kind: 'checking' });
    try {
      const doc = await firstValueFrom(
        this.http.get<OpenApiDocument>(`${this.api}/docs-json`),
      );
      this.state.set({
        kind: 'up',
        title: doc?.info?.title ?? null,
        version: doc?.info?.version ?? null,
        paths: Object.keys(doc?.paths ?? {}).length,
      });
    } catch (error) {
      this.state.set({ kind: 'down', status: toApiError(error).status });
    }
  }
}
