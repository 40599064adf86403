import { useAtlas } from '../store';
import { usePhone, useT } from '../hooks';
import { FilterIcon, GlobeIcon, LineIcon, ListIcon, PinIcon } from './Icons';
import { RouteToggle } from '../routes/RouteToggle';
import { ToolsMenu } from '../editor/ToolsMenu';

/** Title, the sample-data label, and the main toggles (filters on phones, list, near me, planner, language). */
export function Header() {
  const t = useT();
  const lang = useAtlas((s) => s.lang);
  const demo = useAtlas((s) => !!s.health?.demo);
  const panel = useAtlas((s) => s.panel);
  const drawerOpen = useAtlas((s) => s.drawerOpen);
  const planner = useAtlas((s) => s.planner);
  // The planner is a desktop view (a table beside the map); five buttons do not fit a
  // phone's header in English either, so phones do not offer it.
  const phone = usePhone();
  const { togglePanel, toggleLang, setDrawerOpen, setPlanner } = useAtlas.getState();
  // The resident panels switch the planner off (they belong to the resident map).
  const residentPanel = (p: 'list' | 'nearby') => {
    if (planner) setPlanner(false);
    togglePanel(p);
  };

  return (
    <header className="app-header">
      {/* biome-ignore lint/a11y/useValidAnchor: a skip link stays a link (href works without script); the click only opens the phone drawer first */}
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
        <button
          type="button"
          className="tool-button"
          aria-pressed={panel === 'list'}
          onClick={() => residentPanel('list')}
          id="list-toggle"
        >
          <ListIcon />
          <span>{t('listButton')}</span>
        </button>
        <button
          type="button"
          className="tool-button"
          aria-pressed={panel === 'nearby'}
          onClick={() => residentPanel('nearby')}
          id="nearby-toggle"
        >
          <PinIcon />
          <span>{t('nearbyButton')}</span>
        </button>
        <RouteToggle compact={phone} />
        {(!phone || planner) && (
          <button type="button" className="tool-button" aria-pressed={planner} onClick={() => setPlanner(!planner)} id="planner-toggle">
            <LineIcon size={20} square>
              <rect x="3" y="3" width="7" height="7" />
              <rect x="14" y="3" width="7" height="7" />
              <rect x="3" y="14" width="7" height="7" />
              <circle cx="17.5" cy="17.5" r="3.5" />
            </LineIcon>
            <span className={phone ? 'visually-hidden' : undefined}>{t('plannerButton')}</span>
          </button>
        )}
        <ToolsMenu phone={phone} />
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
