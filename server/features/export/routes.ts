/**
 * `GET /api/export` — the layers this database can export (with their fields and
 * parameters), the formats and the CRSs.
 * `GET /api/export/:layer?format=&crs=&bundle=&geom=&…layer parameters` — the file, streamed
 * (see formats/index.ts for which formats stream and which go through memory or temporary
 * files), with a `Content-Disposition` name built from validated values only. Computed layers
 * (gaps, served, cells: a coverage analysis) are written whole in the analysis worker pool
 * (./computed.ts) under its per-client limits, sharing and time budget.
 */
import type { Router } from 'express';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { EXPORT_CRS, EXPORT_CRS_IDS } from '../../../core/export/crs';
import { contentDisposition } from '../../../core/export/fileName';
import { EXPORT_LAYERS } from './layers';
import type { LayerRegistry } from './layer';
import { EXPORT_FORMATS } from './formats';
import { prepareExport } from './service';
import { ForbiddenError } from '../../errors';
import { requestUser, roleAllows } from '../../http/requestUser';
import { analysisClient, analysisPoolFor } from '../../analysis/pool';
import { COMPUTED_LAYERS, type ComputedExportTask } from './computed';

/**
 * Retired and proposed facilities are not public (issue 12 §4): `status` other than `active`
 * on the facilities layer needs an editor's session, as GET /api/facilities/:id does.
 */
function checkStatusAccess(layer: string, query: Record<string, unknown>, role: 'editor' | 'admin' | undefined): void {
  if (layer !== 'facilities' || typeof query.status !== 'string') return;
  const asked = query.status
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (asked.every((p) => p === 'active')) return;
  if (role && roleAllows(role, 'editor')) return;
  throw new ForbiddenError(
    'status: retired and proposed facilities are exported to editors only; log in as an editor, or leave out status',
    'editor_required',
  );
}

export function exportRoutes(api: Router, ctx: AppContext, registry: LayerRegistry = EXPORT_LAYERS): void {
  api.get('/export', async (_req, res) => {
    const layers = [];
    for (const l of registry.all()) {
      if (l.available && !(await l.available(ctx.db))) continue;
      layers.push({
        id: l.id,
        name: l.name,
        description: l.description,
        geometryType: l.geometryType,
        fields: l.fields.map(({ name, type, zh, en }) => ({ name, type, zh, en })),
        params: z.toJSONSchema(l.params, { io: 'input', unrepresentable: 'any' }),
      });
    }
    res.json({
      layers,
      formats: Object.values(EXPORT_FORMATS).map(({ id, name, ext, delivery }) => ({ id, name, ext, delivery })),
      crs: EXPORT_CRS_IDS.map((id) => ({ id, epsg: EXPORT_CRS[id].epsg, label: EXPORT_CRS[id].label, note: EXPORT_CRS[id].note })),
    });
  });

  api.get('/export/:layer', async (req, res) => {
    checkStatusAccess(String(req.params.layer), req.query as Record<string, unknown>, requestUser(req)?.role);
    const layerId = String(req.params.layer);
    if (registry === EXPORT_LAYERS && COMPUTED_LAYERS.has(layerId)) {
      // a coverage analysis: the whole file is written in the analysis pool (./computed.ts)
      const left = new AbortController();
      res.on('close', () => {
        if (!res.writableFinished) left.abort();
      });
      const task: ComputedExportTask = { layer: layerId, query: { ...(req.query as Record<string, unknown>) }, appVersion: ctx.appVersion };
      const file = await analysisPoolFor(ctx.db, ctx.analysis, ctx.log).run('export', task, {
        client: analysisClient(req),
        signal: left.signal,
      });
      res.status(200).set({
        'Content-Type': file.contentType,
        'Content-Disposition': contentDisposition(file.fileName ?? `${layerId}.bin`),
        'Cache-Control': 'no-store',
      });
      res.end(Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength));
      return;
    }
    const out = await prepareExport(ctx.db, registry, String(req.params.layer), req.query as Record<string, unknown>, {
      appVersion: ctx.appVersion,
    });
    res.status(200);
    res.set({
      'Content-Type': out.contentType,
      'Content-Disposition': contentDisposition(out.fileName),
      'Cache-Control': 'no-store',
    });
    try {
      await pipeline(Readable.from(out.body, { objectMode: false }), res);
    } catch (err) {
      // The response has started: nothing left to send but a cut connection.
      ctx.log.warn({ err, layer: req.params.layer, file: out.fileName }, 'export stopped before the end');
      res.destroy();
    }
  });
}
