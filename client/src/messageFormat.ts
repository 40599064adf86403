/**
 * The one message formatter behind every dictionary of the client (i18n.ts, the editor's,
 * the planner's, the routes', the dashboard's, the extents'): `{name}` placeholders and
 * ICU-style plurals chosen by `Intl.PluralRules` of the UI language, e.g.
 *
 * @example
 * formatMessage('en', '{n, plural, one {# district} other {# districts}} chosen', { n: 1 }) // '1 district chosen'
 * formatMessage('zh', '已选 {n} 个区县', { n: 2 })                                            // '已选 2 个区县'
 *
 * Branches: `=0 {…}` (exact value) first, then the plural category (`zero`, `one`, `two`,
 * `few`, `many`, `other`; Chinese has only `other`). `#` in a branch is the number. A
 * placeholder without a value is left as written, so a missing parameter shows.
 */
export type Lang = 'zh' | 'en';
export type MessageParams = Record<string, string | number>;

const rulesCache = new Map<Lang, Intl.PluralRules>();
function rules(lang: Lang): Intl.PluralRules {
  let r = rulesCache.get(lang);
  if (!r) {
    r = new Intl.PluralRules(lang === 'zh' ? 'zh-CN' : 'en');
    rulesCache.set(lang, r);
  }
  return r;
}

/** The index of the `}` closing the `{` at `open`, or -1. */
function closing(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if (s[i] === '{') depth++;
    else if (s[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

/** `one {…} other {…} =0 {…}` → selector → branch text. */
function branches(s: string): Map<string, string> {
  const out = new Map<string, string>();
  let i = 0;
  while (i < s.length) {
    const open = s.indexOf('{', i);
    if (open < 0) break;
    const close = closing(s, open);
    if (close < 0) break;
    out.set(s.slice(i, open).trim(), s.slice(open + 1, close));
    i = close + 1;
  }
  return out;
}

function plural(lang: Lang, value: string | number | undefined, body: string, params: MessageParams): string | null {
  if (value === undefined) return null;
  const n = typeof value === 'number' ? value : Number(value.replace(/[,\s]/g, ''));
  const b = branches(body);
  const text = b.get(`=${n}`) ?? b.get(rules(lang).select(n)) ?? b.get('other');
  if (text === undefined) return null;
  const shown = typeof value === 'number' ? value.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en') : value;
  return formatMessage(lang, text, params).replace(/#/g, shown);
}

/** Fills `template` for `lang` (see the module comment). */
export function formatMessage(lang: Lang, template: string, params?: MessageParams): string {
  if (!template.includes('{')) return template;
  let out = '';
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    if (open < 0) break;
    const close = closing(template, open);
    if (close < 0) break;
    out += template.slice(i, open);
    const inner = template.slice(open + 1, close);
    const m = /^\s*(\w+)\s*(?:,\s*plural\s*,([\s\S]*))?$/.exec(inner);
    let filled: string | null = null;
    if (m && m[2] !== undefined) filled = plural(lang, params?.[m[1]!], m[2], params ?? {});
    else if (m && params && m[1]! in params) filled = String(params[m[1]!]);
    out += filled ?? template.slice(open, close + 1);
    i = close + 1;
  }
  return out + template.slice(i);
}
