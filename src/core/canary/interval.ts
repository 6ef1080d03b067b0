/** Shorter intervals hold too few scrapes to judge; longer ones leave a bad canary serving for days. */
const INTERVAL_MIN_MS = 10_000;
const INTERVAL_MAX_MS = 24 * 3_600_000;

/** A whole number of seconds, minutes or hours. */
export const INTERVAL_PATTERN = /^(\d+)(s|m|h)$/;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000 } as const;

/**
 * `10m` -> 600000: a canary interval in milliseconds, or undefined when the
 * text is not a duration within [10s, 24h] (the schema refuses those, so a
 * validated manifest always has one).
 */
export function parseInterval(text: string): number | undefined {
  const match = INTERVAL_PATTERN.exec(text);
  if (!match) return undefined;
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  return ms >= INTERVAL_MIN_MS && ms <= INTERVAL_MAX_MS ? ms : undefined;
}

/** Why `text` is not a usable canary interval, or undefined when it is. */
export function intervalProblem(text: string): string | undefined {
  if (!INTERVAL_PATTERN.test(text)) return 'a duration such as 30s, 10m or 1h';
  return parseInterval(text) === undefined ? `${text} is not between 10s and 24h` : undefined;
}

/** Why `steps` are not a usable sequence of traffic weights, or undefined when they are. */
export function stepsProblem(steps: readonly number[]): string | undefined {
  // A step outside 1..100 is reported on its own; the order is judged on usable steps only.
  if (!steps.every((step) => Number.isInteger(step) && step >= 1 && step <= 100)) return undefined;
  for (let i = 1; i < steps.length; i += 1)
    if (steps[i]! <= steps[i - 1]!)
      return `each step must send more traffic than the one before (${steps[i - 1]} then ${steps[i]})`;
  if (steps.at(-1) !== 100)
    return 'the last step must be 100: the canary takes all traffic before it is promoted';
  return undefined;
}
