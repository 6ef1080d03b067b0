/**
 * Fills a manifest's query template: `{{model}}` and `{{version}}` become the
 * model name and the version under test, escaped for a PromQL string literal
 * (names and versions are constrained by the schema; the escape is belt and braces).
 */
export function fillQuery(template: string, values: { model: string; version: string }): string {
  const escape = (text: string) => text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
  return template.replace(/\{\{\s*(model|version)\s*\}\}/g, (_match, key: 'model' | 'version') =>
    escape(values[key]),
  );
}
