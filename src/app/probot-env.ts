/**
 * The environment Probot is created from: the app's, without REDIS_URL.
 * Probot reads REDIS_URL too and would move its request throttling onto
 * Redis (Bottleneck keys outside modelgate's prefix, every GitHub request
 * then depending on Redis); in modelgate REDIS_URL means the scheduler only.
 */
export function probotEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { REDIS_URL: _schedulerOnly, ...rest } = env;
  return rest;
}
