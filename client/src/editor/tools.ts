/**
 * The participation and editing tools' UI state, apart from the atlas store (store.ts)
 * so that the resident map carries none of it: which tool panel is open, a point the
 * user is picking on the map for a tool, the signed-in user (its CSRF token goes to ../http.ts), and the
 * feedback-pin and choropleth layer switches. Plain data only; the map component and the
 * lazily loaded tool panels follow it.
 *
 * This module is in the first-load chunk: keep it small (no components, no fetch but `/me`).
 */
import { create } from 'zustand';
import type { LngLat } from '../../../core/api';
import { getJson, onUnauthorized, setCsrfToken } from '../http';

export type Role = 'editor' | 'admin' | string;
export interface SessionUser {
  username: string;
  display_name?: string | null;
  role: Role;
}

export type Tool =
  | { kind: 'feedback' }
  | { kind: 'signin' }
  | { kind: 'moderation' }
  | { kind: 'export' }
  | { kind: 'indicators' }
  | { kind: 'edit'; facilityId: number }
  | { kind: 'add' }
  | { kind: 'import' };

/** Why a map click is being captured: the tool that gets the point. */
export type PickPurpose = 'feedback' | 'move' | 'add';

export interface ToolsState {
  tool: Tool | null;
  /** While set, a click on the map sets `point` here instead of selecting a facility. */
  pick: { purpose: PickPurpose; point: LngLat | null } | null;
  user: SessionUser | null;
  /** The approved feedback pins on the map ("居民建议"). */
  feedbackLayer: boolean;
  /** Bumped after a moderation, so the pin layer reloads. */
  feedbackSeq: number;
  /** The indicator drawn as a district choropleth, or null for the plain fill. */
  choropleth: string | null;

  open(tool: Tool): void;
  close(): void;
  startPick(purpose: PickPurpose, point?: LngLat | null): void;
  setPickPoint(point: LngLat): void;
  stopPick(): void;
  setSession(user: SessionUser | null, csrfToken: string | null): void;
  setFeedbackLayer(on: boolean): void;
  bumpFeedback(): void;
  setChoropleth(id: string | null): void;
}

export const useTools = create<ToolsState>()((set, get) => ({
  tool: null,
  pick: null,
  user: null,
  feedbackLayer: true,
  feedbackSeq: 0,
  choropleth: null,

  open(tool) {
    set({ tool, pick: null });
  },
  close() {
    set({ tool: null, pick: null });
  },
  startPick(purpose, point = null) {
    set({ pick: { purpose, point } });
  },
  setPickPoint(point) {
    const pick = get().pick;
    if (pick) set({ pick: { ...pick, point } });
  },
  stopPick() {
    set({ pick: null });
  },
  setSession(user, csrfToken) {
    setCsrfToken(user ? csrfToken : null);
    set({ user });
  },
  setFeedbackLayer(feedbackLayer) {
    set({ feedbackLayer });
  },
  bumpFeedback() {
    set({ feedbackSeq: get().feedbackSeq + 1 });
  },
  setChoropleth(choropleth) {
    set({ choropleth });
  },
}));

export function isEditor(user: SessionUser | null): boolean {
  return user?.role === 'editor' || user?.role === 'admin';
}

/** Who is signed in (the session cookie is HttpOnly): asked once at start. */
export async function loadSession(): Promise<void> {
  try {
    const body = await getJson<{ user: SessionUser | null; csrfToken?: string }>('/api/auth/me');
    useTools.getState().setSession(body.user, body.csrfToken ?? null);
  } catch {
    /* offline or refused: stay signed out */
  }
}

// A 401 means the session is gone: forget the user, so the UI offers sign-in again.
onUnauthorized(() => {
  if (useTools.getState().user) useTools.getState().setSession(null, null);
});
