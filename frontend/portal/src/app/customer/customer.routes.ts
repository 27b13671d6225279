import { Route } from '@angular/router';
import { MyPortraitStore } from './my-portrait.store';

export const customerRoutes: Route[] = [
  {
    path: '',
    providers: [MyPortraitStore],
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'portrait' },
      {
        path: 'portrait',
        title: 'nav.portrait',
        loadComponent: () => import('./portrait-page').then((m) => m.PortraitPage),
      },
      {
        path: 'risk',
        title: 'nav.risk',
        loadComponent: () => import('./risk-page').then((m) => m.RiskPage),
      },
      {
        path: 'needs',
        title: 'nav.needs',
        loadComponent: () => import('./needs-page').then((m) => m.NeedsPage),
      },
      {
        path: 'consent',
        title: 'nav.consent',
        loadComponent: () => import('./consent-page').then((m) => m.ConsentPage),
      },
      {
        path: 'manager',
        title: 'nav.myManager',
        loadComponent: () => import('./my-manager-page').then((m) => m.MyManagerPage),
      },
    ],
  },
];
