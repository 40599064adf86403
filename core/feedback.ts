/**
 * The feedback catalogue: what residents and children can tell the planners, in
 * Chinese and English, and the shapes the feedback API returns.
 *
 * Feedback pins carry the Chongqing Child-Friendly City Implementation Plan (2022) §三
 * (儿童参与: children take part in the planning of the spaces they use) onto the map:
 * anyone may drop a pin without an account; editors moderate; approved pins become a
 * layer planners overlay on coverage gaps.
 *
 * Text is stored exactly as given and only ever returned inside JSON. The server never
 * builds HTML from it; clients must render it as text (React text nodes, `textContent`),
 * never as HTML.
 *
 * @example
 * import { feedbackCategoryById } from './feedback';
 * feedbackCategoryById('unsafe_crossing').name.zh; // '过街不安全'
 */
import type { Bilingual } from './catalogue';
import type { LngLat } from './api';

export const FEEDBACK_CATEGORY_IDS = [
  'want_playground',
  'want_facility',
  'unsafe_crossing',
  'unsafe_place',
  'facility_closed',
  'facility_wrong',
  'other',
] as const;

export type FeedbackCategoryId = (typeof FEEDBACK_CATEGORY_IDS)[number];

export interface FeedbackCategory {
  id: FeedbackCategoryId;
  name: Bilingual;
  /** A prompt shown under the choice, written so that a ten-year-old can follow it. */
  hint: Bilingual;
  /** Whether the pin is about an existing facility (the form then offers to pick one). */
  aboutFacility: boolean;
  /** The plan clause the category answers to. */
  planClause: string;
}

export const FEEDBACK_CATEGORIES: readonly FeedbackCategory[] = [
  {
    id: 'want_playground',
    name: { zh: '这里需要游乐场', en: 'A playground is needed here' },
    hint: { zh: '你希望在这里有一个可以玩耍的地方吗？', en: 'Would you like a place to play here?' },
    aboutFacility: false,
    planClause: '实施方案 §二十（儿童友好空间）',
  },
  {
    id: 'want_facility',
    name: { zh: '这里需要其他儿童设施', en: 'Another children’s facility is needed here' },
    hint: {
      zh: '例如母婴室、图书角、托育点。请写下需要什么。',
      en: 'For example a baby room, a reading corner or a nursery. Say what is needed.',
    },
    aboutFacility: false,
    planClause: '实施方案 §十八—§二十二（公共服务设施）',
  },
  {
    id: 'unsafe_crossing',
    name: { zh: '过街不安全', en: 'Unsafe crossing' },
    hint: { zh: '过马路时觉得危险吗？请说说为什么。', en: 'Does crossing the road here feel dangerous? Tell us why.' },
    aboutFacility: false,
    planClause: '实施方案 §二十三（儿童友好出行）',
  },
  {
    id: 'unsafe_place',
    name: { zh: '这里让人感到不安全', en: 'This place feels unsafe' },
    hint: { zh: '例如没有路灯、施工、积水。', en: 'For example no street lights, building works or flooding.' },
    aboutFacility: false,
    planClause: '实施方案 §二十四（安全环境）',
  },
  {
    id: 'facility_closed',
    name: { zh: '设施已关闭', en: 'Facility has closed' },
    hint: { zh: '地图上的设施已经不开放了吗？', en: 'Is a place on the map no longer open?' },
    aboutFacility: true,
    planClause: '实施方案 §三（儿童参与）',
  },
  {
    id: 'facility_wrong',
    name: { zh: '设施信息有误', en: 'Facility details are wrong' },
    hint: { zh: '名称、位置、开放时间或其他信息不对？', en: 'Is the name, position, opening hours or something else wrong?' },
    aboutFacility: true,
    planClause: '实施方案 §三（儿童参与）',
  },
  {
    id: 'other',
    name: { zh: '其他建议', en: 'Other suggestion' },
    hint: { zh: '任何让城市对儿童更友好的想法。', en: 'Any idea that makes the city friendlier for children.' },
    aboutFacility: false,
    planClause: '实施方案 §三（儿童参与）',
  },
];

/** Who is speaking: optional, never required, and the only personal fact collected. */
export const AGE_GROUP_IDS = ['age_0_5', 'age_6_11', 'age_12_17', 'adult'] as const;
export type AgeGroupId = (typeof AGE_GROUP_IDS)[number];

export const AGE_GROUPS: readonly { id: AgeGroupId; name: Bilingual }[] = [
  { id: 'age_0_5', name: { zh: '0–5 岁（家长代填）', en: 'Age 0–5 (a parent writes)' } },
  { id: 'age_6_11', name: { zh: '6–11 岁', en: 'Age 6–11' } },
  { id: 'age_12_17', name: { zh: '12–17 岁', en: 'Age 12–17' } },
  { id: 'adult', name: { zh: '成年人', en: 'Adult' } },
];

/**
 * Moderation states. `pending` → `approved` | `rejected` | `duplicate` (merged into
 * another pin); `approved` → `resolved` (the city acted; the reply says how).
 * The public sees `approved` and `resolved` pins only.
 */
export const FEEDBACK_STATUS_IDS = ['pending', 'approved', 'rejected', 'duplicate', 'resolved'] as const;
export type FeedbackStatus = (typeof FEEDBACK_STATUS_IDS)[number];
export const PUBLIC_FEEDBACK_STATUSES: readonly FeedbackStatus[] = ['approved', 'resolved'];

export const FEEDBACK_STATUSES: readonly { id: FeedbackStatus; name: Bilingual }[] = [
  { id: 'pending', name: { zh: '待审核', en: 'Awaiting review' } },
  { id: 'approved', name: { zh: '已采纳', en: 'Approved' } },
  { id: 'rejected', name: { zh: '未采纳', en: 'Not accepted' } },
  { id: 'duplicate', name: { zh: '已合并', en: 'Merged (duplicate)' } },
  { id: 'resolved', name: { zh: '已处理', en: 'Resolved' } },
];

/** Longest feedback text, in characters (Unicode code points, as PostgreSQL counts). */
export const FEEDBACK_TEXT_MAX = 500;
/** Longest moderator reply, in characters. */
export const FEEDBACK_REPLY_MAX = 1000;

/** Moderation actions for `PATCH /api/feedback/:id`. */
export const MODERATION_ACTIONS = ['approve', 'reject', 'merge', 'resolve', 'reopen'] as const;
export type ModerationAction = (typeof MODERATION_ACTIONS)[number];

/** From which states each action may start; anything else is a 409. */
export const ACTION_FROM: Record<ModerationAction, readonly FeedbackStatus[]> = {
  approve: ['pending', 'rejected'],
  reject: ['pending', 'approved'],
  merge: ['pending', 'approved'],
  resolve: ['approved'],
  reopen: ['resolved'],
};

export const ACTION_TO: Record<ModerationAction, FeedbackStatus> = {
  approve: 'approved',
  reject: 'rejected',
  merge: 'duplicate',
  resolve: 'resolved',
  reopen: 'approved',
};

export function isFeedbackCategoryId(s: string): s is FeedbackCategoryId {
  return (FEEDBACK_CATEGORY_IDS as readonly string[]).includes(s);
}

export function feedbackCategoryById(id: FeedbackCategoryId): FeedbackCategory {
  const c = FEEDBACK_CATEGORIES.find((x) => x.id === id);
  if (!c) throw new Error(`unknown feedback category ${id}`);
  return c;
}

/** What `POST /api/feedback` takes. */
export interface FeedbackInput {
  category: FeedbackCategoryId;
  text: string;
  coordinates: LngLat;
  age_group?: AgeGroupId | null;
  facility_id?: number | null;
}

/** Properties of a feedback pin as the public sees it. */
export interface FeedbackPublicProperties {
  id: number;
  category: FeedbackCategoryId;
  text: string;
  age_group: AgeGroupId | null;
  facility_id: number | null;
  district_code: string | null;
  status: FeedbackStatus;
  /** 1 + the pins merged into this one: how many people asked for the same thing. */
  supporters: number;
  reply: string | null;
  created_at: string;
  resolved_at: string | null;
}

/** What editors see in the moderation queue, on top of the public properties. */
export interface FeedbackProperties extends FeedbackPublicProperties {
  duplicate_of: number | null;
  moderated_by: string | null;
  moderated_at: string | null;
  updated_at: string;
}

export interface FeedbackFeature<P extends FeedbackPublicProperties = FeedbackPublicProperties> {
  type: 'Feature';
  id: number;
  geometry: { type: 'Point'; coordinates: LngLat };
  properties: P;
}

/** Number of characters as PostgreSQL's `length()` counts them (code points, not UTF-16 units). */
export function charCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}
