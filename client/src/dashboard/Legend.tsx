/**
 * The legend of an indicator choropleth: a swatch and words for every class that occurs
 * (with how many districts), so the map can be read without telling colours apart.
 *
 * @example
 * <ChoroplethLegend lang="zh" districts={response.districts} indicator="nursery_places_per_1000" name={def.name.zh} />
 */
import type { ReactNode } from 'react';
import type { DistrictIndicatorsView, IndicatorId } from '../../../core/indicators';
import { legendItems } from './choropleth';
import { translator, type Lang } from './i18n';
import './legend.css';

export function ChoroplethLegend({
  lang,
  districts,
  indicator,
  name,
  className,
  children,
}: {
  lang: Lang;
  districts: readonly DistrictIndicatorsView[];
  indicator: IndicatorId;
  name: string;
  /** Extra class (the map's copy is placed over the map). */
  className?: string;
  /** After the caption (the map's copy: a button that clears the choropleth). */
  children?: ReactNode;
}) {
  const t = translator(lang);
  const items = legendItems(districts, indicator);
  const headingId = `ind-legend-${indicator}`;
  // walking coverage measured in a straight line where no network is imported: said under the classes
  const straight = districts.filter((d) => d.indicators.find((r) => r.id === indicator)?.coverage?.measure === 'straight_line').length;
  return (
    <figure className={className ? `ind-legend ${className}` : 'ind-legend'} aria-labelledby={headingId}>
      <figcaption id={headingId} className="ind-legend__title">
        {t('legendHeading', { indicator: name })}
      </figcaption>
      {children}
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
      {straight > 0 && <p className="ind-legend__note">{t('legendStraightLine', { n: straight })}</p>}
    </figure>
  );
}
