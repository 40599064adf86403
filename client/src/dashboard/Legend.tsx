/**
 * The legend of an indicator choropleth: a swatch and words for every class that occurs
 * (with how many districts), so the map can be read without telling colours apart.
 *
 * @example
 * <ChoroplethLegend lang="zh" districts={response.districts} indicator="nursery_places_per_1000" name={def.name.zh} />
 */
import type { DistrictIndicatorsView, IndicatorId } from '../../../core/indicators';
import { legendItems } from './choropleth';
import { translator, type Lang } from './i18n';
import './legend.css';

export function ChoroplethLegend({
  lang,
  districts,
  indicator,
  name,
}: {
  lang: Lang;
  districts: readonly DistrictIndicatorsView[];
  indicator: IndicatorId;
  name: string;
}) {
  const t = translator(lang);
  const items = legendItems(districts, indicator);
  const headingId = `ind-legend-${indicator}`;
  return (
    <figure className="ind-legend" aria-labelledby={headingId}>
      <figcaption id={headingId} className="ind-legend__title">
        {t('legendHeading', { indicator: name })}
      </figcaption>
      <ul className="ind-legend__list">
        {items.map((it) => (
          <li key={it.cls}>
            <span className="ind-legend__swatch" style={{ background: it.colour }} aria-hidden="true" />
            <span>
              {t(it.label, it.vars)} <span className="ind-muted">({it.count})</span>
            </span>
          </li>
        ))}
      </ul>
    </figure>
  );
}
