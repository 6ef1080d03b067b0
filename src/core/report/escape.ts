/** Escapes text for a markdown table cell: no HTML, no table breaks, no mentions. */
export function cell(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/@/g, '@\u200b')
    .replace(/\r?\n/g, ' ');
}
