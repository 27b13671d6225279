import { inject, Injectable } from '@angular/core';
import { MatSnackBar } from '@angular/material/snack-bar';
import { TranslateService } from '@ngx-translate/core';

/** Short confirmations in a snackbar (announced politely to screen readers by Material). */
@Injectable({ providedIn: 'root' })
export class Notifier {
  private readonly snackBar = inject(MatSnackBar);
  private readonly translate = inject(TranslateService);

  say(key: string, params?: Record<string, unknown>): void {
    this.snackBar.open(
      this.translate.instant(key, params) as string,
      this.translate.instant('state.dismiss') as string,
      { duration: 4000 },
    );
  }
}
