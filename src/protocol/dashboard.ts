/**
 * Host <-> dashboard webview messages (same rules as messages.ts: string `type`s, requests with
 * an `id`, the host validates everything the webview sends with `parseDashboardMessage`).
 */
import type { DashboardData } from '../core/report/data';

export type { DashboardData };

/** host → webview: the data to draw (the answer to `dashboard/ready`, and after each re-evaluation). */
export interface DashboardShowMessage {
  type: 'dashboard/show';
  data: DashboardData;
}

/** host → webview: no evaluated run to show. */
export interface DashboardEmptyMessage {
  type: 'dashboard/empty';
  message: string;
}

export type DashboardHostMessage = DashboardShowMessage | DashboardEmptyMessage;

/** webview → host: listening. */
export interface DashboardReadyMessage {
  type: 'dashboard/ready';
}

/** webview → host: show these rows (item indices of the run) in the Runs view and inspect the first. */
export interface DashboardSelectMessage {
  type: 'dashboard/select';
  id: number;
  label: string;
  rows: number[];
  /** With a comparison: the flip cell clicked (the inspector then shows both runs' spans). */
  compare?: boolean;
}

/** webview → host: save an exported chart (PNG data URL) or table (text). */
export interface DashboardExportMessage {
  type: 'dashboard/export';
  id: number;
  name: string;
  format: 'png' | 'csv' | 'md' | 'tex';
  content: string;
}

/** webview → host: write the self-contained HTML report of this run. */
export interface DashboardReportMessage {
  type: 'dashboard/report';
  id: number;
}

/** webview → host: the time from data arriving to charts drawn (for the log and the e2e test). */
export interface DashboardTimingMessage {
  type: 'dashboard/timing';
  ms: number;
}

export type DashboardViewMessage =
  | DashboardReadyMessage
  | DashboardSelectMessage
  | DashboardExportMessage
  | DashboardReportMessage
  | DashboardTimingMessage;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= Number.MAX_SAFE_INTEGER;
const FORMATS = ['png', 'csv', 'md', 'tex'] as const;

/** Validates a message from the dashboard webview; null for anything malformed or unknown. */
export function parseDashboardMessage(v: unknown): DashboardViewMessage | null {
  if (!isObj(v) || typeof v.type !== 'string') return null;
  switch (v.type) {
    case 'dashboard/ready':
      return { type: v.type };
    case 'dashboard/select':
      if (!isInt(v.id) || typeof v.label !== 'string' || v.label.length > 500) return null;
      if (!Array.isArray(v.rows) || v.rows.length > 10_000_000 || !v.rows.every(isInt)) return null;
      return { type: v.type, id: v.id, label: v.label, rows: v.rows as number[], compare: v.compare === true };
    case 'dashboard/export':
      if (!isInt(v.id) || typeof v.name !== 'string' || !/^[\w.-]{1,80}$/.test(v.name)) return null;
      if (!FORMATS.includes(v.format as (typeof FORMATS)[number]) || typeof v.content !== 'string') return null;
      if (v.content.length > 50_000_000) return null;
      return {
        type: v.type,
        id: v.id,
        name: v.name,
        format: v.format as (typeof FORMATS)[number],
        content: v.content,
      };
    case 'dashboard/report':
      return isInt(v.id) ? { type: v.type, id: v.id } : null;
    case 'dashboard/timing':
      return typeof v.ms === 'number' && Number.isFinite(v.ms) && v.ms >= 0 ? { type: v.type, ms: v.ms } : null;
    default:
      return null;
  }
}
