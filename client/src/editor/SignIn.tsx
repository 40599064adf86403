/** "登录 / Sign in" for editors: user name and password → session; errors said plainly. */
import { useEffect, useRef, useState } from 'react';
import { ApiError, request } from '../http';
import { useToolT } from './i18n';
import { useTools, isEditor, type SessionUser } from './tools';
import './tools.css';
import { ToolPanelHead } from './ToolPanelHead';

export default function SignIn({ onClose }: { onClose: () => void }) {
  const { t } = useToolT();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const userRef = useRef<HTMLInputElement>(null);
  useEffect(() => userRef.current?.focus(), []);

  async function submit() {
    setBusy(true);
    setError(null);
    try {
      const r = await request<{ user: SessionUser; csrfToken: string }>('POST', '/api/auth/login', { body: { username, password } });
      useTools.getState().setSession(r.user, r.csrfToken);
      if (isEditor(r.user)) useTools.getState().open({ kind: 'moderation' });
      else setError(t('signInNotEditor'));
    } catch (e) {
      if (e instanceof ApiError && e.status === 429) setError(t('signInLimited', { s: e.retryAfterS ?? 60 }));
      else if (e instanceof ApiError && e.code === 'account_disabled') setError(t('signInDisabled'));
      else if (e instanceof ApiError && (e.status === 401 || e.status === 400)) setError(t('signInFailed'));
      else setError(t('error', { message: e instanceof Error ? e.message : String(e) }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="tool-panel tool-panel--small" role="dialog" aria-labelledby="signin-heading" data-map-overlay data-tool="signin">
      <ToolPanelHead id="signin-heading" title={t('signInTitle')} closeLabel={t('close')} onClose={onClose} />
      <form
        className="tool-form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label htmlFor="signin-user">{t('username')}</label>
        <input
          id="signin-user"
          ref={userRef}
          autoComplete="username"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          required
        />
        <label htmlFor="signin-pass">{t('password')}</label>
        <input
          id="signin-pass"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
        />
        <div className="button-row">
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? t('signingIn') : t('signIn')}
          </button>
        </div>
        {error && (
          <p className="tool-error" role="alert">
            {error}
          </p>
        )}
      </form>
    </section>
  );
}

export async function signOut(): Promise<void> {
  try {
    await request('POST', '/api/auth/logout', { body: {} });
  } catch {
    /* the session is gone either way */
  }
  useTools.getState().setSession(null, null);
  useTools.getState().close();
}
