import type { FacilityFeature } from '../../../core/api';
import { categoryName, districtName, facilityName, formatDistance } from '../i18n';
import { useAtlas } from '../store';
import { CategoryIcon } from './CategoryIcon';

/**
 * One facility in a list (search results, near me, list view): a button that selects it
 * and flies the map to it. Hover and keyboard focus highlight it on the map.
 */
export function FacilityItem({
  feature,
  showDistance = false,
  number,
  onChoose,
}: {
  feature: FacilityFeature;
  showDistance?: boolean;
  /** Near me: the result's number, also drawn beside its marker on the map. */
  number?: number;
  onChoose?: () => void;
}) {
  const lang = useAtlas((s) => s.lang);
  const selected = useAtlas((s) => s.selectedId === feature.id);
  const p = feature.properties;
  const district = districtName(p, lang);
  const hover = (on: boolean) => useAtlas.getState().setHovered(on ? feature.id : null);
  const name = facilityName(p, lang);
  const nameIsChinese = lang === 'en' && !p.name_en;
  return (
    <li>
      <button
        type="button"
        className={selected ? 'facility-item facility-item--selected' : 'facility-item'}
        aria-current={selected ? 'true' : undefined}
        data-facility-id={feature.id}
        onClick={() => {
          useAtlas.getState().selectFacility(feature, { fly: true });
          onChoose?.();
        }}
        onMouseEnter={() => hover(true)}
        onMouseLeave={() => hover(false)}
        onFocus={() => hover(true)}
        onBlur={() => hover(false)}
      >
        {number !== undefined && (
          <span className="facility-item__number" aria-hidden="true">
            {number}
          </span>
        )}
        <CategoryIcon id={p.category} />
        <span className="facility-item__text">
          <span className="facility-item__name" lang={nameIsChinese ? 'zh-CN' : undefined}>
            {name}
          </span>
          <span className="facility-item__meta">
            {categoryName(p.category, lang)}
            {district ? ` · ${district}` : ''}
          </span>
        </span>
        {showDistance && p.distance_m !== undefined && (
          <span className="facility-item__distance">{formatDistance(p.distance_m, lang)}</span>
        )}
      </button>
    </li>
  );
}
