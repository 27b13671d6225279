import { Route } from '@angular/router';
import { signedInGuard, signedOutGuard } from './core/auth.guards';

export const appRoutes: Route[] = [
  {
    path: '',
    pathMatch: 'full',
    canActivate: [signedInGuard],
    // lazy: keeps the signed-in page and echarts out of the initial bundle
    loadComponent: () => import('./home/home-page').then((m) => m.HomePage),
  },
  {
    path: 'login',
    canActivate: [signedOutGuard],
    loadComponent: () => import('./login/login-page').then((m) => m.LoginPage),
  },
  { path: '**', redirectTo: '' },
];
