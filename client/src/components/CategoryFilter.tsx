import { CATEGORIES, CATEGORY_IDS } from '../../../core/catalogue';
import { useAtlas } from '../store';
import { useT } from '../hooks';
import { CategoryIcon } from './CategoryIcon';

/** One checkbox per catalogue category (marker icon + name), with "all" and "none". */
export function CategoryFilter() {
  const t = useT();
  const lang = useAtlas((s) => s.lang);
  const selected = useAtlas((s) => s.categories);
  const { toggleCategory, setCategories } = useAtlas.getState();
  const chosen = new Set(selected);

  return (
    <section className="sidebar-section" aria-labelledby="filter-heading">
      <h2 id="filter-heading" className="section-heading">
        {t('filterHeading')}
      </h2>
      <div className="filter-actions">
        <button
          type="button"
          className="button button--small"
          onClick={() => setCategories(CATEGORY_IDS)}
          disabled={selected.length === CATEGORY_IDS.length}
        >
          {t('filterAll')}
        </button>
        <button type="button" className="button button--small" onClick={() => setCategories([])} disabled={selected.length === 0}>
          {t('filterNone')}
        </button>
        <span className="filter-count" role="status">
          {t('filterCount', { n: selected.length, total: CATEGORY_IDS.length })}
        </span>
      </div>
      <fieldset className="category-filter">
        <legend className="visually-hidden">{t('filterHeading')}</legend>
        <ul className="category-list">
          {CATEGORIES.map((c) => (
            <li key={c.id}>
              <label className="category-option" title={c.description[lang]}>
                <input type="checkbox" name="category" value={c.id} checked={chosen.has(c.id)} onChange={() => toggleCategory(c.id)} />
                <CategoryIcon id={c.id} size={24} />
                <span>{c.name[lang]}</span>
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
    </section>
  );
}
