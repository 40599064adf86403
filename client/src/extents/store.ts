/**
 * Where the atlas holds data (`GET /api/extents`: data bounds, imported areas, districts
 * with a walking network) and whether a box has a walking network
 * (`GET /api/network/coverage?bbox=`), for the map's bounds, "go to an imported area" and
 * the notices that say, before anyone picks a point, that no street network is loaded.
 */
import { useEffect, useState } from 'react';
import { create } from 'zustand';
import type { DataExtents, ImportedArea, LngLat, NetworkCoverage } from '../../../core/api';
import type { Bbox } from '../api';
import { useAtlas } from '../store';
import { getJson } from '../http';

interface ExtentsState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  data: DataExtents | null;
}

export const useExtents = create<ExtentsState>(() => ({ status: 'idle', data: null }));

/** Load (or reload, e.g. after an import) the extents. */
export async function loadExtents(force = false): Promise<DataExtents | null> {
  const s = useExtents.getState();
  if (!force && (s.status === 'loading' || s.status === 'ready')) return s.data;
  useExtents.setState({ status: 'loading' });
  try {
    const data = await getJson<DataExtents>('/api/extents');
    useExtents.setState({ status: 'ready', data });
    return data;
  } catch {
    useExtents.setState({ status: 'error' });
    return null;
  }
}

/** The extents, loaded on first use. */
export function useDataExtents(): DataExtents | null {
  const { status, data } = useExtents();
  useEffect(() => {
    if (status === 'idle') void loadExtents();
  }, [status]);
  return data;
}

export const bboxCentre = (b: readonly number[]): LngLat => [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2];

/** The areas with a walking network, for "go there" buttons. */
export function networkAreas(d: DataExtents | null): ImportedArea[] {
  return (d?.areas ?? []).filter((a) => a.hasNetwork);
}

/** Ask the map to fly to an area (its centre, at street zoom). */
export function flyToArea(a: ImportedArea): void {
  const s = useAtlas.getState();
  useAtlas.setState({ flyRequest: { center: bboxCentre(a.bbox), seq: (s.flyRequest?.seq ?? 0) + 1 } });
}

const coverageCache = new Map<string, boolean>();

export type NetworkHere = 'unknown' | 'yes' | 'no';

/**
 * Whether `bbox` (the map view by default) has a walking network: 'unknown' while asking
 * or without a box, then 'yes'/'no'. Answers are cached per box.
 */
export function useNetworkIn(bbox: Bbox | null | undefined): NetworkHere {
  const key = bbox ? bbox.map((v) => v.toFixed(5)).join(',') : '';
  const [state, setState] = useState<{ key: string; v: NetworkHere }>({ key: '', v: 'unknown' });
  useEffect(() => {
    if (!key) return;
    const hit = coverageCache.get(key);
    if (hit !== undefined) {
      setState({ key, v: hit ? 'yes' : 'no' });
      return;
    }
    const ac = new AbortController();
    getJson<NetworkCoverage>('/api/network/coverage', { bbox: key }, ac.signal).then(
      (r) => {
        coverageCache.set(key, r.hasNetwork);
        setState({ key, v: r.hasNetwork ? 'yes' : 'no' });
      },
      () => {
        if (!ac.signal.aborted) setState({ key, v: 'unknown' });
      },
    );
    return () => ac.abort();
  }, [key]);
  return state.key === key ? state.v : 'unknown';
}

/** Whether the current map view has a walking network. */
export function useNetworkInView(): NetworkHere {
  const bbox = useAtlas((s) => s.viewBbox);
  return useNetworkIn(bbox);
}

/** A small box (± `m` metres) around a point. */
export function boxAround(p: LngLat, m = 300): Bbox {
  const dLat = m / 111_320;
  const dLng = m / (111_320 * Math.cos((p[1] * Math.PI) / 180));
  return [p[0] - dLng, p[1] - dLat, p[0] + dLng, p[1] + dLat];
}
