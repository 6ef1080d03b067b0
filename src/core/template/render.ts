import { Template } from '@huggingface/jinja';

/** The conversation every template is rendered with, so renders are comparable across versions. */
export const CANONICAL_CONVERSATION = [
  { role: 'system', content: 'MODELGATE_SYSTEM' },
  { role: 'user', content: 'MODELGATE_USER_1' },
  { role: 'assistant', content: 'MODELGATE_ASSISTANT_1' },
  { role: 'user', content: 'MODELGATE_USER_2' },
] as const;

export interface SpecialStrings {
  bos_token?: string;
  eos_token?: string;
  unk_token?: string;
  pad_token?: string;
}

export type Rendered = { ok: true; text: string; withSystem: boolean } | { ok: false; error: string };

/**
 * Renders a chat template on the canonical conversation with a real Jinja
 * implementation. Templates that refuse a system message are rendered again
 * without it. Nothing in a template can reach the host: @huggingface/jinja is
 * an interpreter with no access to Node.
 */
export function renderCanonical(source: string, special: SpecialStrings): Rendered {
  let template: Template;
  try {
    template = new Template(source);
  } catch (error) {
    return { ok: false, error: `does not parse: ${(error as Error).message}` };
  }
  const attempt = (messages: readonly { role: string; content: string }[]) =>
    template.render({
      messages: messages.map((m) => ({ ...m })),
      add_generation_prompt: false,
      ...special,
    });
  try {
    return { ok: true, text: attempt(CANONICAL_CONVERSATION), withSystem: true };
  } catch (firstError) {
    try {
      return { ok: true, text: attempt(CANONICAL_CONVERSATION.slice(1)), withSystem: false };
    } catch {
      return { ok: false, error: `fails to render a plain conversation: ${(firstError as Error).message}` };
    }
  }
}

/** The text a render puts right after the assistant's reply, up to the next user message. */
export function afterAssistantTurn(rendered: string): string | undefined {
  const reply = rendered.indexOf('MODELGATE_ASSISTANT_1');
  const next = rendered.indexOf('MODELGATE_USER_2');
  if (reply < 0 || next < reply) return undefined;
  return rendered.slice(reply + 'MODELGATE_ASSISTANT_1'.length, next);
}
