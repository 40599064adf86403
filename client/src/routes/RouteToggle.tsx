/**
 * The header's "上学路线 / Route to school" toggle. On phones, and in English below 1440 px
 * wide, where the header's seven buttons do not fit with the longer English words, it shows
 * a short label ("To school"; the full one stays its accessible name, which contains it,
 * WCAG 2.1 SC 2.5.3) — never the icon alone, which a newcomer cannot read.
 */
import { useAtlas } from '../store';
import { useMediaQuery } from '../hooks';
import { useRouteT } from './messages';
import { closeRoutes, openRoutes, useRoutes } from './store';
import { useNetworkInView } from '../extents/store';
import { extentText } from '../extents/messages';
import { LineIcon } from '../components/Icons';

/** Where the header is too narrow for the long English label. */
const NARROW = '(max-width: 1439px)';
const useNarrow = () => useMediaQuery(NARROW);

/** `compact`: the short label (phones, where the header is narrow). */
export function RouteToggle({ compact = false }: { compact?: boolean }) {
  const t = useRouteT();
  const open = useRoutes((s) => s.open);
  const lang = useAtlas((s) => s.lang);
  const narrow = useNarrow();
  const short = compact || (lang === 'en' && narrow);
  // Said before any click: where the view has no walking network, the button carries a
  // visible mark and says so in its tooltip and description (the panel explains further).
  const noNetwork = useNetworkInView() === 'no';
  const warning = noNetwork ? extentText(lang, 'noNetworkTitle') : undefined;
  return (
    <button
      type="button"
      className="tool-button"
      aria-pressed={open}
      onClick={() => (open ? closeRoutes() : openRoutes())}
      id="route-toggle"
      aria-label={short ? t('toggle') : undefined}
      aria-description={warning}
      data-no-network={noNetwork || undefined}
      title={warning ? `${t('toggle')} — ${warning}` : short ? t('toggle') : undefined}
    >
      <LineIcon>
        <circle cx="6" cy="19" r="2" />
        <path d="M8 19h6a4 4 0 0 0 0-8H10a4 4 0 0 1 0-8h6" />
        <path d="M16 3l3 3-3 3" />
      </LineIcon>
      <span>{short ? t('toggleShort') : t('toggle')}</span>
      {noNetwork && (
        <b className="tool-button__warn" aria-hidden="true">
          !
        </b>
      )}
    </button>
  );
}
