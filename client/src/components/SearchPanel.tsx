import { useAtlas, SEARCH_LIMIT } from '../store';
import { useT } from '../hooks';
import { FacilityItem } from './FacilityItem';
import { CloseIcon, SearchIcon } from './Icons';

/** Search by name or address, in the whole city or the current view; results below. */
export function SearchPanel() {
  const t = useT();
  const search = useAtlas((s) => s.search);
  const { setSearchQuery, setSearchScope, runSearch, clearSearch, setDrawerOpen } = useAtlas.getState();

  let status = '';
  if (search.status === 'loading') status = t('searching');
  else if (search.status === 'error' && search.error) status = t(search.error.key, search.error.params);
  else if (search.status === 'ready') {
    if (search.results.length === 0) status = t('searchNone', { q: search.query.trim() });
    else if (search.truncated) status = t('searchResultsTruncated', { n: SEARCH_LIMIT });
    else status = t('searchResults', { n: search.results.length });
  }

  return (
    <section className="sidebar-section" aria-labelledby="search-heading">
      <h2 id="search-heading" className="section-heading">
        {t('searchHeading')}
      </h2>
      <form
        role="search"
        className="search-form"
        onSubmit={(e) => {
          e.preventDefault();
          void runSearch();
        }}
      >
        <label htmlFor="search-input" className="field-label">
          {t('searchLabel')}
        </label>
        <div className="search-row">
          <input
            id="search-input"
            type="search"
            className="text-input"
            value={search.query}
            placeholder={t('searchPlaceholder')}
            autoComplete="off"
            enterKeyHint="search"
            onChange={(e) => setSearchQuery(e.target.value)}
            onKeyDown={(e) => {
              // Esc in a non-empty box clears it (and does not close panels).
              if (e.key === 'Escape' && search.query) {
                e.stopPropagation();
                clearSearch();
              }
            }}
          />
          <button type="submit" className="button button--primary">
            <SearchIcon />
            <span>{t('searchButton')}</span>
          </button>
        </div>
        <fieldset className="scope">
          <legend className="field-label">{t('searchScope')}</legend>
          <label className="radio">
            <input
              type="radio"
              name="search-scope"
              value="city"
              checked={search.scope === 'city'}
              onChange={() => setSearchScope('city')}
            />
            {t('scopeCity')}
          </label>
          <label className="radio">
            <input
              type="radio"
              name="search-scope"
              value="view"
              checked={search.scope === 'view'}
              onChange={() => setSearchScope('view')}
            />
            {t('scopeView')}
          </label>
        </fieldset>
      </form>
      <div className="search-results">
        <p role="status" className="status-line">
          {status}
        </p>
        {search.status === 'ready' && search.results.length > 0 && (
          <>
            <ul className="facility-list" aria-label={t('searchResultsLabel')}>
              {search.results.map((f) => (
                <FacilityItem key={f.id} feature={f} onChoose={() => setDrawerOpen(false)} />
              ))}
            </ul>
            <button type="button" className="button button--quiet" onClick={clearSearch}>
              <CloseIcon />
              <span>{t('searchClear')}</span>
            </button>
          </>
        )}
      </div>
    </section>
  );
}
