import type { Router } from 'express';
import type { AppContext } from '../../context';
import { CATEGORIES } from '../../../core/catalogue';

export function categoryRoutes(api: Router, _ctx: AppContext): void {
  api.get('/categories', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=3600').json({ categories: CATEGORIES });
  });
}
