/**
 * Configuration, read once from the environment at start-up. Every variable is listed
 * in `.env.example`. Invalid values fail fast with the variable's name.
 */
import { z } from 'zod';
import path from 'node:path';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseTrustProxy } from './http/security';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const EnvSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(8080),
    HOST: z.string().default('0.0.0.0'),
    DATABASE_URL: z.string().url().optional(),
    // Hot standbys for stale-tolerant public reads, comma-separated (docs/scaling.md "Read replicas"; needs DATABASE_URL).
    DATABASE_READ_URL: z
      .string()
      .optional()
      .transform((s) =>
        s
          ? s
              .split(',')
              .map((u) => u.trim())
              .filter(Boolean)
          : [],
      )
      .refine((us) => us.every((u) => URL.canParse(u)), 'each comma-separated entry must be a postgres:// URL'),
    // Named prepared statements for the hot reads (nearby, tiles); 'off' behind PgBouncer < 1.21 in transaction mode.
    DATABASE_PREPARED_STATEMENTS: z.enum(['on', 'off']).default('on'),
    REPLICA_MAX_LAG_MS: z.coerce.number().int().min(0).max(3_600_000).default(5000),
    READ_PRIMARY_AFTER_WRITE_S: z.coerce.number().min(0).max(3600).default(10),
    PGLITE_DIR: z.string().default(path.join(PROJECT_ROOT, '.data', 'pglite')),
    SEED_DEMO: z.enum(['auto', 'never']).default('auto'),
    // The real 渝中 OpenStreetMap data (data/osm/yuzhong) after the demo seed, once (server/seed/osm.ts).
    SEED_OSM: z.enum(['auto', 'never']).default('auto'),
    // Build and store the central districts' 100 m population surfaces in the background after start (issue 13).
    PRECOMPUTE_SURFACES: z.enum(['auto', 'never']).default('auto'),
    // Backups of the embedded database (README "Backups"): folder, how many to keep, hours between scheduled ones (0 = off).
    BACKUP_DIR: z.string().min(1).optional(),
    BACKUP_KEEP: z.coerce.number().int().min(1).max(1000).default(7),
    BACKUP_INTERVAL_HOURS: z.coerce
      .number()
      .min(0)
      .max(24 * 365)
      .default(24),
    // Largest file the admin import endpoint accepts (docs/security.md "Admin imports"), MB.
    IMPORT_UPLOAD_MAX_MB: z.coerce.number().int().min(1).max(100_000).default(2048),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    BASEMAP_STYLE_URL: z.string().url().optional(),
    // Extra origins an online basemap style loads tiles, glyphs or sprites from (CSP connect-src), comma-separated.
    BASEMAP_ORIGINS: z
      .string()
      .default('')
      .transform((s) =>
        s
          .split(',')
          .map((o) => o.trim())
          .filter(Boolean),
      )
      .refine(
        (list) => list.every((o) => /^https?:\/\/(\*\.)?[a-z0-9.-]+(:\d+)?$/i.test(o)),
        'comma-separated origins such as https://*.tianditu.gov.cn',
      ),
    // A Protomaps basemap PMTiles archive served instead of the tiles built from our own data.
    BASEMAP_PMTILES: z
      .string()
      .optional()
      .refine((f) => f === undefined || (existsSync(f) && statSync(f).isFile()), 'no such file')
      .transform((f) => (f === undefined ? undefined : path.resolve(f))),
    TILE_FEATURE_CAP: z.coerce.number().int().min(100).max(100_000).default(5000),
    // Heavy analysis (docs/security.md "Heavy analysis"; server/analysis/pool.ts). Pool size: default cores − 1 (1 on 2 cores).
    ANALYSIS_POOL_SIZE: z.coerce.number().int().min(1).max(64).optional(),
    ANALYSIS_QUEUE_MAX: z.coerce.number().int().min(0).max(10_000).default(8),
    ANALYSIS_PER_CLIENT: z.coerce.number().int().min(1).max(100).default(4),
    ANALYSIS_COST_THRESHOLD: z.coerce.number().min(0).default(50_000_000),
    ANALYSIS_JOB_BUDGET_S: z.coerce.number().min(1).max(3600).default(30),
    // Access control (docs/security.md). The initial admin is created at start-up when absent.
    ADMIN_USERNAME: z
      .string()
      .regex(/^[a-z0-9_.-]{3,40}$/, 'lower-case letters, digits, _ . -; 3 to 40')
      .optional(),
    ADMIN_PASSWORD: z.string().min(12, 'at least 12 characters').max(200).optional(),
    COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
    // false, a hop count or the proxies' addresses; `true` is refused (server/http/security.ts parseTrustProxy)
    TRUST_PROXY: z
      .string()
      .default('false')
      .superRefine((v, ctx) => {
        try {
          parseTrustProxy(v);
        } catch (e) {
          ctx.addIssue({ code: 'custom', message: (e as Error).message.replace(/^TRUST_PROXY(=|: )/, '') });
        }
      }),
    ALLOWED_ORIGINS: z.string().default(''),
    SESSION_IDLE_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(60),
    SESSION_MAX_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(30 * 24)
      .default(12),
    FEEDBACK_RATE_LIMIT: z.coerce.number().int().min(1).max(10_000_000).default(30),
    LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).max(10_000).default(10),
    WRITE_RATE_LIMIT: z.coerce.number().int().min(1).max(10_000_000).default(120),
  })
  .refine((c) => !c.ADMIN_USERNAME || c.ADMIN_PASSWORD, { path: ['ADMIN_PASSWORD'], message: 'required when ADMIN_USERNAME is set' });

export type Config = z.infer<typeof EnvSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration: ${issues}`);
  }
  return parsed.data;
}

/** A connection string with the password replaced, for logs and error messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparseable DATABASE_URL>';
  }
}
