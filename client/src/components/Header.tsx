import { useAtlas } from '../store';
import { useT } from '../hooks';
import { FilterIcon, GlobeIcon, ListIcon, PinIcon } from './Icons';

/** Title, the sample-data label, and the main toggles (filters on phones, list, near me, language). */
export function Header() {
  const t = useT();
  const lang = useAtlas((s) => s.lang);
  const demo = useAtlas((s) => !!s.health?.demo);
  const panel = useAtlas((s) => s.panel);
  const drawerOpen = useAtlas((s) => s.drawerOpen);
  const { togglePanel, toggleLang, setDrawerOpen } = useAtlas.getState();

  return (
    <header className="app-header">
      <a
        className="skip-link"
        href="#search-input"
        onClick={(e) => {
          // On phones the search box is in the closed drawer: open it first.
          e.preventDefault();
          setDrawerOpen(true);
          requestAnimationFrame(() => document.getElementById('search-input')?.focus());
        }}
      >
        {t('skipToSearch')}
      </a>
      <div className="brand">
        <h1 className="brand__title">
          <span className="brand__full">{t('appTitle')}</span>
        </h1>
        {demo && (
          <span className="badge badge--sample" title={t('sampleDataTitle')}>
            {t('sampleData')}
          </span>
        )}
      </div>
      <nav className="toolbar" aria-label={t('toolbar')}>
        <button
          type="button"
          className="tool-button only-phone"
          aria-expanded={drawerOpen}
          aria-controls="sidebar"
          onClick={() => setDrawerOpen(!drawerOpen)}
          id="filters-toggle"
        >
          <FilterIcon />
          <span>{t('filtersButton')}</span>
        </button>
        <button type="button" className="tool-button" aria-pressed={panel === 'list'} onClick={() => togglePanel('list')} id="list-toggle">
          <ListIcon />
          <span>{t('listButton')}</span>
        </button>
        <button type="button" className="tool-button" aria-pressed={panel === 'nearby'} onClick={() => togglePanel('nearby')} id="nearby-toggle">
          <PinIcon />
          <span>{t('nearbyButton')}</span>
        </button>
        <button
          type="button"
          className="tool-button tool-button--lang"
          onClick={toggleLang}
          lang={lang === 'zh' ? 'en' : 'zh-CN'}
          aria-label={t('switchLanguageLabel')}
          id="lang-toggle"
        >
          <GlobeIcon />
          <span>{t('switchLanguage')}</span>
        </button>
      </nav>
    </header>
  );
}
