import * as jinja from '@huggingface/jinja';
import { Template } from '@huggingface/jinja';

/**
 * The slice of @huggingface/jinja's runtime this module extends. Its
 * declaration files import "./runtime" without an extension, which NodeNext
 * resolution cannot follow, so the two classes are typed here by hand.
 */
interface RuntimeValue {
  type: string;
  value: unknown;
}
interface JinjaEnvironment {
  set(name: string, value: unknown): unknown;
}
interface JinjaInterpreter {
  run(program: Template['parsed']): RuntimeValue;
  evaluate(statement: unknown, environment: JinjaEnvironment): RuntimeValue;
}
const Environment = jinja.Environment as unknown as new () => JinjaEnvironment;
const Interpreter = jinja.Interpreter as unknown as new (env: JinjaEnvironment) => JinjaInterpreter;

/**
 * What one render may cost. Real chat templates (Llama 3, Qwen, Gemma,
 * DeepSeek, Mistral) render the canonical conversation in a few hundred
 * steps and a few KiB; these limits are orders of magnitude above that and
 * far below what hurts a CI runner. A template comes from the repository, a
 * pull request can change it, so every render is bounded, wherever the
 * template was found (chat_template.jinja or tokenizer_config.json).
 */
export const TEMPLATE_LIMITS = {
  /** Template source, in characters. */
  sourceChars: 1024 * 1024,
  /** Interpreter steps (each node evaluated counts one; the real templates above take under 1,000). */
  steps: 100_000,
  /** Items of one range() or list. */
  items: 100_000,
  /** Characters of any one value the template builds (a string, or all the strings a list or object holds), the output included. */
  stringChars: 1024 * 1024,
  /**
   * Characters of every value the template builds or reads, counted each time
   * (a list counts all it holds): the work of a render, so a loop that sorts,
   * joins or serialises a large list again and again stops too.
   */
  totalChars: 64 * 1024 * 1024,
  /**
   * The sum of the squares of the source's whitespace runs. Before it parses,
   * @huggingface/jinja tries a regular expression at every position of a run,
   * so a run costs its square: 100,000 spaces took 12 s, 1 MiB of them more
   * than 15 minutes. 2^26 is a run of 8,192 (about 0.1 s); real templates'
   * runs are a few dozen characters.
   */
  whitespaceCost: 2 ** 26,
} as const;

/** A render stopped by one of TEMPLATE_LIMITS: the template's fault, reported as such. */
class TemplateLimitError extends Error {}

/**
 * @huggingface/jinja's interpreter, counting what a render costs and stopping
 * it at TEMPLATE_LIMITS. Every value a step returns is measured deeply (a
 * list of 65,536 references to one 1 MiB string is 64 GiB of characters to
 * `tojson` or `sort`), so no later step can be handed more than one value's
 * worth of work.
 */
class BoundedInterpreter extends Interpreter {
  private steps = 0;
  private chars = 0;
  /** Lists never change once built (only a namespace's members are set), so their sizes are kept. */
  private readonly listSizes = new WeakMap<object, number>();

  override evaluate(statement: unknown, environment: JinjaEnvironment): RuntimeValue {
    if (++this.steps > TEMPLATE_LIMITS.steps)
      throw new TemplateLimitError(`takes more than ${TEMPLATE_LIMITS.steps} steps`);
    const value = super.evaluate(statement, environment);
    if (Array.isArray(value.value) && value.value.length > TEMPLATE_LIMITS.items)
      throw new TemplateLimitError(`builds a list of more than ${TEMPLATE_LIMITS.items} items`);
    const size = this.sizeOf(value);
    if (size > TEMPLATE_LIMITS.stringChars)
      throw new TemplateLimitError(
        value.type === 'StringValue'
          ? `builds a string of more than ${TEMPLATE_LIMITS.stringChars} characters`
          : `builds a value holding more than ${TEMPLATE_LIMITS.stringChars} characters`,
      );
    this.chars += size;
    if (this.chars > TEMPLATE_LIMITS.totalChars)
      throw new TemplateLimitError(`handles more than ${TEMPLATE_LIMITS.totalChars} characters in all`);
    return value;
  }

  /** Characters a value holds, all the way down (1 for a number, a boolean or none); stops counting past the cap. */
  private sizeOf(value: RuntimeValue): number {
    const inner = value.value;
    if (typeof inner === 'string') return inner.length;
    if (Array.isArray(inner)) {
      const known = this.listSizes.get(inner);
      if (known !== undefined) return known;
      let size = inner.length;
      for (const item of inner as RuntimeValue[]) {
        if (size > TEMPLATE_LIMITS.stringChars) break;
        size += this.sizeOf(item);
      }
      this.listSizes.set(inner, size);
      return size;
    }
    if (inner instanceof Map) {
      let size = inner.size;
      for (const [key, item] of inner as Map<string, RuntimeValue>) {
        if (size > TEMPLATE_LIMITS.stringChars) break;
        size += key.length + this.sizeOf(item);
      }
      return size;
    }
    return 1;
  }
}

/** Python's range(), refusing before it allocates more than TEMPLATE_LIMITS.items. */
function boundedRange(start: number, stop?: number, step = 1): number[] {
  const [from, to] = stop === undefined ? [0, start] : [start, stop];
  if (![from, to, step].every(Number.isSafeInteger)) throw new Error('range() takes integers');
  if (step === 0) throw new Error('range() step must not be zero');
  const count = Math.max(0, Math.ceil((to - from) / step));
  if (count > TEMPLATE_LIMITS.items)
    throw new TemplateLimitError(`calls range() for ${count} items, more than ${TEMPLATE_LIMITS.items}`);
  return Array.from({ length: count }, (_, i) => from + i * step);
}

/**
 * The date every render sees: `strftime_now` is fixed, so a template renders
 * the same today and tomorrow and two versions compare on their content.
 */
const RENDER_DATE = new Date(Date.UTC(2024, 0, 1));
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

function strftimeNow(format: string): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const month = MONTHS[RENDER_DATE.getUTCMonth()]!;
  const fields: Record<string, string> = {
    '%Y': String(RENDER_DATE.getUTCFullYear()),
    '%m': pad(RENDER_DATE.getUTCMonth() + 1),
    '%d': pad(RENDER_DATE.getUTCDate()),
    '%b': month.slice(0, 3),
    '%B': month,
    '%H': pad(RENDER_DATE.getUTCHours()),
    '%M': pad(RENDER_DATE.getUTCMinutes()),
    '%%': '%',
  };
  return String(format).replace(/%[YmdbBHM%]/g, (token) => fields[token]!);
}

/** Renders a parsed template with modelgate's globals and limits (what Template.render does, bounded). */
function renderBounded(template: Template, items: Record<string, unknown>): string {
  const env = new Environment();
  const globals: Record<string, unknown> = {
    false: false,
    true: true,
    none: null,
    False: false,
    True: true,
    None: null,
    raise_exception: (message: unknown) => {
      throw new Error(String(message));
    },
    range: boundedRange,
    strftime_now: strftimeNow,
  };
  for (const [name, value] of Object.entries({ ...globals, ...items })) env.set(name, value);
  const result = new BoundedInterpreter(env).run(template.parsed);
  return String(result.value);
}

/** The conversation every template is rendered with, so renders are comparable across versions. */
const CANONICAL_CONVERSATION = [
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

/** A render: its text, or why there is none (`limit`: stopped by TEMPLATE_LIMITS, the template's doing). */
export type Rendered =
  | {
      ok: true;
      text: string;
      withSystem: boolean;
      /**
       * What the template writes after the assistant's reply when that reply is the
       * last message (a training example: what the model learns to generate), if the
       * template renders such a conversation.
       */
      finalTurnEnd?: string;
    }
  | { ok: false; error: string; limit?: boolean };

/**
 * Renders a chat template on the canonical conversation with a real Jinja
 * implementation. Templates that refuse a system message are rendered again
 * without it. Nothing in a template can reach the host: @huggingface/jinja is
 * an interpreter with no access to Node, and every render is bounded by
 * TEMPLATE_LIMITS (steps, list and string sizes), so a template bomb is a
 * finding, not an out-of-memory abort.
 */
export function renderCanonical(source: string, special: SpecialStrings): Rendered {
  if (source.length > TEMPLATE_LIMITS.sourceChars)
    return {
      ok: false,
      limit: true,
      error: `is ${source.length} characters long, more than the ${TEMPLATE_LIMITS.sourceChars} modelgate renders`,
    };
  const whitespace = whitespaceCost(source);
  if (whitespace > TEMPLATE_LIMITS.whitespaceCost)
    return {
      ok: false,
      limit: true,
      error: `has runs of whitespace too long to parse (the squares of their lengths add up to ${whitespace}, more than ${TEMPLATE_LIMITS.whitespaceCost}; a run of 8,192 is the most modelgate parses)`,
    };
  let template: Template;
  try {
    template = new Template(source);
  } catch (error) {
    return { ok: false, error: `does not parse: ${(error as Error).message}` };
  }
  const attempt = (messages: readonly { role: string; content: string }[]) =>
    renderBounded(template, {
      messages: messages.map((m) => ({ ...m })),
      add_generation_prompt: false,
      ...special,
    });
  const limited = (error: unknown): Rendered | undefined =>
    error instanceof TemplateLimitError
      ? { ok: false, limit: true, error: `exceeds a rendering limit: it ${error.message}` }
      : error instanceof RangeError // V8's own ceiling (string length, call stack): a limit too
        ? { ok: false, limit: true, error: `exceeds a rendering limit: ${error.message}` }
        : undefined;
  // The conversation cut after the assistant's reply, system message included or not as the full one was.
  const finalTurnEnd = (withSystem: boolean): string | undefined => {
    try {
      const upToReply = CANONICAL_CONVERSATION.slice(withSystem ? 0 : 1, 3);
      const text = attempt(upToReply);
      const reply = text.lastIndexOf('MODELGATE_ASSISTANT_1');
      return reply < 0 ? undefined : text.slice(reply + 'MODELGATE_ASSISTANT_1'.length);
    } catch {
      return undefined; // a template may refuse to end on an assistant turn: the history form still counts
    }
  };
  try {
    const text = attempt(CANONICAL_CONVERSATION);
    return { ok: true, text, withSystem: true, finalTurnEnd: finalTurnEnd(true) };
  } catch (firstError) {
    const stopped = limited(firstError);
    if (stopped) return stopped;
    try {
      const text = attempt(CANONICAL_CONVERSATION.slice(1));
      return { ok: true, text, withSystem: false, finalTurnEnd: finalTurnEnd(false) };
    } catch (secondError) {
      return (
        limited(secondError) ?? {
          ok: false,
          error: `fails to render a plain conversation: ${(firstError as Error).message}`,
        }
      );
    }
  }
}

/**
 * The text right after the assistant's reply where the model has to stop: after
 * the last reply of a training render when the template renders one, else after
 * the reply in the canonical conversation. The two differ on purpose in Harmony
 * (gpt-oss): the model ends its answer with <|return|>, which history turns
 * write as <|end|>, and only the first is a stop id.
 */
export function endOfTurnText(rendered: Extract<Rendered, { ok: true }>): string | undefined {
  // A last reply followed by nothing says nothing about stopping: judge the history form then.
  const final = rendered.finalTurnEnd;
  return final?.trim() ? final : afterAssistantTurn(rendered.text);
}

/** The text a render puts right after the assistant's reply, up to the next user message. */
function afterAssistantTurn(rendered: string): string | undefined {
  const reply = rendered.indexOf('MODELGATE_ASSISTANT_1');
  const next = rendered.indexOf('MODELGATE_USER_2');
  if (reply < 0 || next < reply) return undefined;
  return rendered.slice(reply + 'MODELGATE_ASSISTANT_1'.length, next);
}

// The sum of the squares of the whitespace runs (\s, as the parser's expression reads it). Linear.
function whitespaceCost(source: string): number {
  let cost = 0;
  for (const run of source.matchAll(/\s+/g)) cost += run[0].length ** 2;
  return cost;
}
