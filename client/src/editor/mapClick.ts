/** A map click while a tool is picking a point (feedback place, new facility position): true when taken. */
import type { LngLat } from '../../../core/api';
import { useTools } from './tools';

export function toolsMapClick(point: LngLat): boolean {
  const s = useTools.getState();
  if (!s.pick) return false;
  s.setPickPoint(point);
  return true;
}
