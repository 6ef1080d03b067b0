import type { IntervalResult } from './judge.js';

/** Who steered a canary by hand, when, and the comment that asked. */
export interface Steer {
  by: string;
  at: string;
  link: string;
}

/** A running (or finished) canary analysis, as the app keeps it: in the sticky pull-request comment, nowhere else. */
export interface CanaryState {
  v: 1;
  model: string;
  version: string;
  /** The version tag the deployments point at. */
  ref: string;
  /** The release commit. */
  sha: string;
  manifest: string;
  trigger: string;
  pr: number;
  environment: string;
  productionEnvironment: string;
  /** The last stage's name, for the promotion tag `<model>#<stage>#N`. */
  productionStage?: string;
  baselineVersion?: string;
  /** The deployment of the current step, and its traffic weight. */
  deploymentId: number;
  weight: number;
  stepStartedAt: string;
  /** The next step's deployment, created and not yet reported live by the deployer. */
  awaiting?: number;
  intervals: IntervalResult[];
  status: 'running' | 'promoted' | 'failed' | 'aborted';
  checkRunId?: number;
  revertUrl?: string;
  /** Set by `/canary pause`: no interval is judged until `/canary resume`. */
  paused?: Steer;
  /** Who ended the canary by hand (`/promote`, `/canary abort`, `/rollback`). */
  endedBy?: Steer;
}

const STATE = /<!-- modelgate-state:([A-Za-z0-9_-]+) -->/;

/** The hidden line that carries the state in the comment (base64url JSON: nothing in it can close the HTML comment). */
export function encodeState(state: CanaryState): string {
  return `<!-- modelgate-state:${Buffer.from(JSON.stringify(state)).toString('base64url')} -->`;
}

/** The state in a comment body, or undefined when there is none (or it is not ours). */
export function decodeState(body: string): CanaryState | undefined {
  const match = STATE.exec(body);
  if (!match) return undefined;
  try {
    const state = JSON.parse(Buffer.from(match[1]!, 'base64url').toString('utf8')) as CanaryState;
    return state?.v === 1 && typeof state.model === 'string' ? state : undefined;
  } catch {
    return undefined;
  }
}
