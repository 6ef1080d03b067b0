import type { ValidationReport } from '../validate.js';

/** The `--format json` document (DESIGN.md section 3): one JSON object, stable key order. */
export function toJson(report: ValidationReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
