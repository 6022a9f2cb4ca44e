import type { StoredEvent } from '@neutrino/events';
import { describeChange } from '../commands/audit-format';

const SUMMARY_MAX = 120;

/** `--type`: one type (`port.created`), or a prefix (`port.`, or `port` for every port.* type). */
export function typeMatches(type: string, wanted: string | undefined): boolean {
  if (!wanted) return true;
  if (wanted.endsWith('.')) return type.startsWith(wanted);
  return type === wanted || type.startsWith(`${wanted}.`);
}

/** `--since`: an ISO-8601 time, as epoch ms. */
export function parseSince(since: string): number {
  const t = Date.parse(since);
  if (!/^\d{4}-\d{2}-\d{2}/.test(since) || Number.isNaN(t)) throw new Error(`--since must be an ISO-8601 time (e.g. 2026-01-01T12:00:00Z), not ${JSON.stringify(since)}`);
  return t;
}

/** One line per event: seq, time, type, subject, id and a short summary of its data. */
export function formatFollowLine(e: StoredEvent): string {
  let summary = describeChange(e);
  if (summary.length > SUMMARY_MAX) summary = `${summary.slice(0, SUMMARY_MAX - 1)}…`;
  return [`#${e.seq}`, e.at, e.type, e.subject, e.id, summary].join('  ');
}

/** The JSON line of --json: the envelope with its stream sequence and subject. */
export const formatFollowJson = (e: StoredEvent): string => JSON.stringify(e);
