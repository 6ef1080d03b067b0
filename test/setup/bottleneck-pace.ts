/**
 * vitest setupFiles: Bottleneck, the limiter inside @octokit/plugin-retry and
 * @octokit/plugin-throttling, yields to the event loop with setTimeout(0)
 * several times per request, each at least Node's 1 ms timer floor: about
 * 15 ms a request. Against GitHub that is nothing; against the tests' fake
 * GitHub on loopback (about 1 ms a request) it was most of a test's time (the
 * deployer's tests took 21 s, 14 of them in these yields). In the tests' own
 * processes those yields are setImmediate: still one turn of the event loop
 * each, in the same order, without the floor. A wait Bottleneck computes (a
 * retry after N ms) keeps its timer.
 */
import Bottleneck from 'bottleneck/light.js';

interface Datastore {
  yieldLoop(this: Datastore, t?: number): Promise<unknown>;
}
const PACED = Symbol.for('modelgate.test.bottleneck-pace');

// The local datastore is Bottleneck's only one here (no Redis clustering): every limiter of the
// process shares its prototype, the plugins' included, as they import the same bottleneck/light.js.
const store = Object.getPrototypeOf(
  (new Bottleneck() as unknown as { _store: Datastore })._store,
) as Datastore & {
  [PACED]?: true;
};
if (typeof store.yieldLoop !== 'function')
  throw new Error('bottleneck/light.js has no yieldLoop: test/setup/bottleneck-pace.ts needs updating');
if (!store[PACED]) {
  const timed = store.yieldLoop;
  store.yieldLoop = function (t = 0) {
    return t === 0 ? new Promise((resolve) => setImmediate(resolve)) : timed.call(this, t);
  };
  store[PACED] = true;
}
