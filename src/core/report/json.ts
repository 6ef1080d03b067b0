import type { ValidationReport } from '../validate.js';
import { inertJson } from './escape.js';

/** The `--format json` document (DESIGN.md section 3): one JSON object, stable key order, inert on a terminal. */
export function toJson(report: ValidationReport): string {
  return `${inertJson(report)}\n`;
}
