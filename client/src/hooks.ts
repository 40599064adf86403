/** Small React hooks shared by the components. */
import { useCallback, useSyncExternalStore } from 'react';
import { useAtlas } from './store';
import { translate, type MessageKey, type Translate } from './i18n';

/** `t(key, params)` in the current language; components re-render when it changes. */
export function useT(): Translate {
  const lang = useAtlas((s) => s.lang);
  return useCallback((key: MessageKey, params?: Record<string, string | number>) => translate(lang, key, params), [lang]);
}

/** Whether the CSS media query matches now; components re-render when that changes. */
export function useMediaQuery(query: string): boolean {
  return useSyncExternalStore(
    (cb) => {
      const mq = window.matchMedia(query);
      mq.addEventListener('change', cb);
      return () => mq.removeEventListener('change', cb);
    },
    () => window.matchMedia(query).matches,
  );
}

/** Phone layout (the same breakpoint as styles.css). */
export const PHONE_QUERY = '(max-width: 720px)';

/** Whether the phone layout is in use. */
export function usePhone(): boolean {
  return useMediaQuery(PHONE_QUERY);
}
