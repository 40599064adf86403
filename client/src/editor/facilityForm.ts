/**
 * The facility editor's form: its values as typed in (strings), as API values, what
 * changed against the loaded version, and re-applying this editor's changes on top of
 * another editor's save. Pure functions; nothing here touches React or the network.
 */
import type { Amenities, FacilityFeature } from '../../../core/api';
import type { CategoryId } from '../../../core/catalogue';
import type { ToolKey } from './i18n';

export interface Form {
  category: CategoryId;
  name_zh: string;
  name_en: string;
  address: string;
  opening_hours: string;
  capacity: string;
  age_min_years: string;
  age_max_years: string;
  ownership: 'public' | 'private' | 'unknown';
  inclusive: '' | 'true' | 'false';
  amenities: Amenities;
}

/** The form's free-text inputs. */
export type TextField = 'name_zh' | 'name_en' | 'address' | 'opening_hours' | 'capacity' | 'age_min_years' | 'age_max_years';

const str = (v: string | number | null | undefined) => (v === null || v === undefined ? '' : String(v));

/** The form of a facility (defaults when adding). */
export function formOf(f: FacilityFeature | null): Form {
  const p = f?.properties;
  return {
    category: p?.category ?? 'playground',
    name_zh: str(p?.name_zh),
    name_en: str(p?.name_en),
    address: str(p?.address),
    opening_hours: str(p?.opening_hours),
    capacity: str(p?.capacity),
    age_min_years: str(p?.age_min_years),
    age_max_years: str(p?.age_max_years),
    ownership: p?.ownership ?? 'unknown',
    inclusive: p?.inclusive === null || p?.inclusive === undefined ? '' : p.inclusive ? 'true' : 'false',
    amenities: { ...(p?.amenities ?? {}) },
  };
}

/** The form as API values. */
export function valuesOf(form: Form): Record<string, unknown> {
  const txt = (s: string) => (s.trim() === '' ? null : s.trim());
  const num = (s: string) => (s.trim() === '' ? null : Number(s));
  return {
    category: form.category,
    name_zh: form.name_zh.trim(),
    name_en: txt(form.name_en),
    address: txt(form.address),
    opening_hours: txt(form.opening_hours),
    capacity: num(form.capacity),
    age_min_years: num(form.age_min_years),
    age_max_years: num(form.age_max_years),
    ownership: form.ownership,
    inclusive: form.inclusive === '' ? null : form.inclusive === 'true',
    amenities: form.amenities,
  };
}

/** The label of each API field (the form's fields and the conflict table's rows). */
export const FIELD_LABEL: Record<string, ToolKey> = {
  category: 'category',
  name_zh: 'nameZh',
  name_en: 'nameEn',
  address: 'address',
  opening_hours: 'hours',
  capacity: 'capacity',
  age_min_years: 'ageMin',
  age_max_years: 'ageMax',
  ownership: 'ownership',
  inclusive: 'inclusive',
  amenities: 'amenities',
};

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The API values that differ between `now` and `was`. */
function differing(now: Record<string, unknown>, was: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(now).filter(([k, v]) => !same(v, was[k])));
}

/** The fields of the form changed against the version loaded (only those are sent). */
export function changes(form: Form, base: FacilityFeature | null): Record<string, unknown> {
  return differing(valuesOf(form), valuesOf(formOf(base)));
}

/** The fields where another editor's saved version (`theirs`) differs from this form's values. */
export function conflictingFields(theirs: FacilityFeature, form: Form): { key: string; theirs: unknown; mine: unknown }[] {
  const their = valuesOf(formOf(theirs));
  const mine = valuesOf(form);
  return Object.keys(differing(their, mine)).map((key) => ({ key, theirs: their[key], mine: mine[key] }));
}

/** Re-applies only what this editor changed (against the version they loaded) on top of `theirs`. */
export function reapply(form: Form, loaded: FacilityFeature | null, theirs: FacilityFeature): Form {
  const was = formOf(loaded);
  const next = formOf(theirs);
  for (const k of Object.keys(form) as (keyof Form)[]) {
    if (!same(form[k], was[k])) (next as unknown as Record<string, unknown>)[k] = form[k];
  }
  return next;
}
