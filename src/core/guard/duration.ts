/** A whole number of minutes, hours or days: a bake lasts hours to weeks, so seconds are not offered. */
export const GUARD_DURATION_PATTERN = /^(\d+)(m|h|d)$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** The shortest bake: less than an interval or two of production traffic proves nothing. */
export const BAKE_MIN_MS = 10 * 60_000;
/** The longest bake (and the most `/guard extend` may reach): a guard is not a monitoring system. */
export const BAKE_MAX_MS = 30 * 86_400_000;
/** Judgment intervals: a rate() needs minutes of data; a day is the longest useful gap. */
export const GUARD_INTERVAL_MIN_MS = 5 * 60_000;
export const GUARD_INTERVAL_MAX_MS = 86_400_000;

/** `24h` -> 86400000, or undefined when the text is not a duration of minutes, hours or days. */
export function parseGuardDuration(text: string): number | undefined {
  const match = GUARD_DURATION_PATTERN.exec(text);
  if (!match) return undefined;
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  return Number.isSafeInteger(ms) ? ms : undefined;
}

/** Why `text` is not a duration within [min, max], or undefined when it is. */
export function guardDurationProblem(text: string, min: number, max: number): string | undefined {
  const ms = parseGuardDuration(text);
  if (ms === undefined) return 'a duration such as 30m, 6h or 2d';
  if (ms < min || ms > max) return `${text} is not between ${formatDuration(min)} and ${formatDuration(max)}`;
  return undefined;
}

/** 86400000 -> `1d`, 5400000 -> `90m`: the largest whole unit. */
export function formatDuration(ms: number): string {
  if (ms % UNIT_MS.d === 0) return `${ms / UNIT_MS.d}d`;
  if (ms % UNIT_MS.h === 0) return `${ms / UNIT_MS.h}h`;
  return `${Math.round(ms / UNIT_MS.m)}m`;
}
