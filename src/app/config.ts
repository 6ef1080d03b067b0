/** What the app reads from its environment (never from a repository). */
export interface AppConfig {
  prometheusUrl?: string;
  prometheusAuthorization?: string;
  /** Bearer secret of POST /modelgate/tick; the route is off without it. */
  tickSecret?: string;
  /** Seconds between scheduled ticks inside the process; 0 turns the scheduler off. */
  tickSeconds: number;
}

export function appConfig(env: NodeJS.ProcessEnv): AppConfig {
  const seconds = Number(env.MODELGATE_TICK_SECONDS ?? 60);
  return {
    prometheusUrl: env.PROMETHEUS_URL || undefined,
    prometheusAuthorization: env.PROMETHEUS_AUTHORIZATION || undefined,
    tickSecret: env.MODELGATE_TICK_SECRET || undefined,
    tickSeconds: Number.isFinite(seconds) && seconds >= 0 ? seconds : 60,
  };
}
