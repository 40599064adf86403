/** Small React hooks shared by the components. */
import { useCallback } from 'react';
import { useAtlas } from './store';
import { translate, type MessageKey, type Translate } from './i18n';

/** `t(key, params)` in the current language; components re-render when it changes. */
export function useT(): Translate {
  const lang = useAtlas((s) => s.lang);
  return useCallback((key: MessageKey, params?: Record<string, string | number>) => translate(lang, key, params), [lang]);
}
