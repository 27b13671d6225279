import { Route } from '@angular/router';

export const managerRoutes: Route[] = [
  {
    path: '',
    pathMatch: 'full',
    title: 'nav.managerHome',
    loadComponent: () => import('./manager-home').then((m) => m.ManagerHome),
  },
  {
    path: 'book',
    title: 'nav.book',
    loadComponent: () => import('./book-page').then((m) => m.BookPage),
  },
  {
    path: 'proposals',
    title: 'nav.proposals',
    loadComponent: () => import('./proposals-page').then((m) => m.ProposalsPage),
  },
  {
    path: 'customers/:id',
    title: 'customerPortrait.heading',
    loadComponent: () =>
      import('./customer-portrait-page').then((m) => m.CustomerPortraitPage),
  },
];
