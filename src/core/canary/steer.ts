import { z } from 'zod';
import { LOGIN } from '../report/sticky.js';

/** Who steered a rollout by hand, when, and the comment that asked. */
export interface Steer {
  by: string;
  at: string;
  link: string;
}

/** The shape of a Steer read back from a sealed state. */
export const steerSchema: z.ZodType<Steer> = z.strictObject({
  by: z.string().regex(LOGIN),
  at: z.string().max(64),
  link: z.string().max(1024),
});
