/**
 * The header's "指标 / Indicators" button and a small "更多 / More" menu: export, and
 * (not prominent for residents) sign in — or, signed in, moderation, add a facility and
 * sign out. A disclosure (button + list of buttons), reachable by keyboard; Esc closes it.
 */
import { useEffect, useRef, useState } from 'react';
import { useAtlas } from '../store';
import { isEditor, useTools, type Tool } from './tools';
import { LineIcon } from '../components/Icons';

const TEXT = {
  zh: {
    indicators: '指标',
    more: '更多',
    export: '导出图层',
    signin: '登录',
    moderation: '建议审核',
    add: '新增设施',
    import: '导入数据',
    logout: '退出登录',
  },
  en: {
    indicators: 'Indicators',
    more: 'More',
    export: 'Export',
    signin: 'Sign in',
    moderation: 'Moderation',
    add: 'Add facility',
    import: 'Import data',
    logout: 'Sign out',
  },
};

/**
 * `placement="header"` on desktops; on phones the header is full (the language button alone
 * is ~100 px), so the header renders nothing and ToolsHost puts the menu on the map.
 */
export function ToolsMenu({ phone, placement = 'header' }: { phone: boolean; placement?: 'header' | 'map' }) {
  const lang = useAtlas((s) => s.lang);
  const tool = useTools((s) => s.tool);
  const user = useTools((s) => s.user);
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const text = TEXT[lang];

  useEffect(() => {
    if (!open) return;
    const onDown = (e: PointerEvent) => {
      if (!ref.current?.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      e.preventDefault();
      e.stopPropagation();
      setOpen(false);
      document.getElementById('tools-menu-button')?.focus();
    };
    document.addEventListener('pointerdown', onDown);
    document.addEventListener('keydown', onKey, true);
    return () => {
      document.removeEventListener('pointerdown', onDown);
      document.removeEventListener('keydown', onKey, true);
    };
  }, [open]);

  const choose = (t: Tool) => {
    setOpen(false);
    useTools.getState().open(t);
  };
  const editor = isEditor(user);
  if (phone !== (placement === 'map')) return null;

  return (
    <>
      {/* Phones have no room for one more header button: there it is in the menu. */}
      {!phone && (
        <button
          type="button"
          className="tool-button"
          id="indicators-toggle"
          aria-pressed={tool?.kind === 'indicators'}
          onClick={() => (tool?.kind === 'indicators' ? useTools.getState().close() : useTools.getState().open({ kind: 'indicators' }))}
        >
          <LineIcon size={20} square>
            <path d="M4 20V10M10 20V4M16 20v-7M22 20H2" />
          </LineIcon>
          <span>{text.indicators}</span>
        </button>
      )}
      <div className={placement === 'map' ? 'tools-menu tools-menu--map' : 'tools-menu'} ref={ref}>
        <button
          type="button"
          className="tool-button"
          id="tools-menu-button"
          aria-expanded={open}
          aria-controls="tools-menu-list"
          onClick={() => setOpen(!open)}
        >
          <svg width="20" height="20" viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="currentColor">
            <circle cx="5" cy="12" r="2" />
            <circle cx="12" cy="12" r="2" />
            <circle cx="19" cy="12" r="2" />
          </svg>
          <span>{text.more}</span>
        </button>
        {open && (
          <ul className="tools-menu__list" id="tools-menu-list">
            {phone && (
              <li>
                <button type="button" onClick={() => choose({ kind: 'indicators' })}>
                  {text.indicators}
                </button>
              </li>
            )}
            <li>
              <button type="button" onClick={() => choose({ kind: 'export' })}>
                {text.export}
              </button>
            </li>
            {editor ? (
              <>
                <li>
                  <button type="button" onClick={() => choose({ kind: 'moderation' })}>
                    {text.moderation}
                  </button>
                </li>
                <li>
                  <button type="button" onClick={() => choose({ kind: 'add' })}>
                    {text.add}
                  </button>
                </li>
                {user?.role === 'admin' && (
                  <li>
                    <button type="button" onClick={() => choose({ kind: 'import' })}>
                      {text.import}
                    </button>
                  </li>
                )}
                <li>
                  <button
                    type="button"
                    onClick={() => {
                      setOpen(false);
                      void import('./SignIn').then((m) => m.signOut());
                    }}
                  >
                    {text.logout} ({user?.username})
                  </button>
                </li>
              </>
            ) : (
              <li>
                <button type="button" onClick={() => choose({ kind: 'signin' })}>
                  {text.signin}
                </button>
              </li>
            )}
          </ul>
        )}
      </div>
    </>
  );
}
