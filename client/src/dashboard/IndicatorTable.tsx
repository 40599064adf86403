/**
 * Districts × indicators: a real <table> with a caption, column and row headers, sortable
 * columns (buttons in the headers, `aria-sort` on the sorted one), the city total in the
 * footer. Each cell states its value and status in words, with an icon and a colour.
 */
import type { DistrictIndicatorsView, IndicatorDefinitionView, IndicatorId, IndicatorResultView } from '../../../core/indicators';
import { formatCount, formatValue, resultOf, type SortDir, type SortKey } from './format';
import { shownStatus, StatusIcon, statusWords } from './Status';
import type { Lang, T } from './i18n';

export interface IndicatorTableProps {
  lang: Lang;
  t: T;
  /** Rows, already sorted. */
  districts: readonly DistrictIndicatorsView[];
  city: DistrictIndicatorsView | null;
  definitions: readonly IndicatorDefinitionView[];
  sortKey: SortKey;
  sortDir: SortDir;
  onSort(key: SortKey): void;
  onOpenDistrict(code: string): void;
}

function Cell({ r, lang, t }: { r: IndicatorResultView | undefined; lang: Lang; t: T }) {
  if (!r) return <td />;
  const title = [r.shortfall?.text[lang], r.note?.[lang]].filter(Boolean).join('；');
  return (
    <td className={`ind-cell ind-cell--${shownStatus(r)}`} title={title || undefined}>
      <span className="ind-cell__main">
        <StatusIcon status={shownStatus(r)} />
        <span className="ind-cell__value">{formatValue(r.value, lang)}</span>
      </span>
      <span className="ind-cell__sub">
        {statusWords(r, lang)}
        {r.shortfall && r.status === 'not_met' ? ` · ${t('shortBy', { amount: formatCount(r.shortfall.amount, lang) })}` : ''}
      </span>
    </td>
  );
}

function SortHeader({
  label,
  title,
  k,
  sortKey,
  sortDir,
  onSort,
  t,
}: {
  label: string;
  title?: string;
  k: SortKey;
  sortKey: SortKey;
  sortDir: SortDir;
  onSort(k: SortKey): void;
  t: T;
}) {
  const active = k === sortKey;
  // what a press does next: the first press sorts descending for indicators (worst/best first), ascending for names
  const next: SortDir = active ? (sortDir === 'ascending' ? 'descending' : 'ascending') : k === 'district' ? 'ascending' : 'descending';
  return (
    <th scope="col" aria-sort={active ? sortDir : undefined} className={active ? 'ind-th ind-th--sorted' : 'ind-th'}>
      <button
        type="button"
        className="ind-sort"
        onClick={() => onSort(k)}
        title={t(next === 'ascending' ? 'sortAscending' : 'sortDescending', { column: title ?? label })}
      >
        <span>{label}</span>
        <span className="ind-sort__arrow" aria-hidden="true">
          {active ? (sortDir === 'ascending' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </th>
  );
}

export function IndicatorTable(p: IndicatorTableProps) {
  const { lang, t } = p;
  const name = (d: DistrictIndicatorsView) => (lang === 'zh' ? d.name_zh : d.name_en);
  const ids: IndicatorId[] = p.definitions.map((d) => d.id);
  return (
    <div className="ind-scroll" role="region" aria-labelledby="ind-table-caption" tabIndex={0}>
      <table className="ind-table">
        <caption id="ind-table-caption">
          <span className="ind-table__title">{t('tableCaption')}</span>
          <span className="ind-table__help">{t('tableCaptionHelp')}</span>
        </caption>
        <thead>
          <tr>
            <SortHeader label={t('columnDistrict')} k="district" sortKey={p.sortKey} sortDir={p.sortDir} onSort={p.onSort} t={t} />
            <SortHeader label={t('columnPopulation')} k="population" sortKey={p.sortKey} sortDir={p.sortDir} onSort={p.onSort} t={t} />
            {p.definitions.map((d) => (
              <SortHeader
                key={d.id}
                label={d.short[lang]}
                title={`${d.name[lang]} (${d.unit[lang]})`}
                k={d.id}
                sortKey={p.sortKey}
                sortDir={p.sortDir}
                onSort={p.onSort}
                t={t}
              />
            ))}
          </tr>
        </thead>
        <tbody>
          {p.districts.map((d) => (
            <tr key={d.code}>
              <th scope="row" className="ind-rowhead">
                <button
                  type="button"
                  className="ind-link"
                  data-district={d.code}
                  onClick={() => p.onOpenDistrict(d.code)}
                  title={t('openDistrict', { name: name(d) })}
                >
                  {name(d)}
                </button>
              </th>
              <td className="ind-num">{d.population === null ? '—' : formatCount(d.population, lang)}</td>
              {ids.map((id) => (
                <Cell key={id} r={resultOf(d, id)} lang={lang} t={t} />
              ))}
            </tr>
          ))}
        </tbody>
        {p.city && (
          <tfoot>
            <tr>
              <th scope="row" className="ind-rowhead">
                {t('cityRow')}
              </th>
              <td className="ind-num">{p.city.population === null ? '—' : formatCount(p.city.population, lang)}</td>
              {ids.map((id) => (
                <Cell key={id} r={resultOf(p.city!, id)} lang={lang} t={t} />
              ))}
            </tr>
          </tfoot>
        )}
      </table>
    </div>
  );
}
