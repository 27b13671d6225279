import { Route } from '@angular/router';
import {
  homeRedirectGuard,
  roleGuard,
  signedOutGuard,
} from './core/auth.guards';

// Each workspace is its own lazy chunk, loaded only for its role.
export const appRoutes: Route[] = [
  { path: '', pathMatch: 'full', canActivate: [homeRedirectGuard], children: [] },
  {
    path: 'login',
    canActivate: [signedOutGuard],
    title: 'login.heading',
    loadComponent: () => import('./login/login-page').then((m) => m.LoginPage),
  },
  {
    path: 'register',
    canActivate: [signedOutGuard],
    title: 'register.heading',
    loadComponent: () =>
      import('./register/register-page').then((m) => m.RegisterPage),
  },
  {
    path: 'customer',
    canActivate: [roleGuard('customer')],
    loadChildren: () =>
      import('./customer/customer.routes').then((m) => m.customerRoutes),
  },
  {
    path: 'manager',
    canActivate: [roleGuard('manager')],
    loadChildren: () =>
      import('./manager/manager.routes').then((m) => m.managerRoutes),
  },
  {
    path: 'admin',
    canActivate: [roleGuard('admin')],
    title: 'admin.heading',
    loadComponent: () => import('./admin/admin-home').then((m) => m.AdminHome),
  },
  { path: '**', redirectTo: '' },
];
