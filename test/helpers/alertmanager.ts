import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A notification Alertmanager's webhook receiver sent (its documented JSON payload, version 4). */
export interface WebhookNotification {
  version: string;
  status: 'firing' | 'resolved';
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  alerts: {
    status: 'firing' | 'resolved';
    labels: Record<string, string>;
    annotations: Record<string, string>;
    startsAt: string;
    endsAt: string;
    generatorURL: string;
    fingerprint: string;
  }[];
}

/** A real Alertmanager (Debian's prometheus-alertmanager) routing every alert to a webhook the test reads. */
export interface RunningAlertmanager {
  url: string;
  /** What the team's receiver got, in order (what Slack or PagerDuty would be sent). */
  notifications: WebhookNotification[];
  /** Resolves once a notification matches, or rejects after `timeoutMs`. */
  waitFor(match: (n: WebhookNotification) => boolean, timeoutMs?: number): Promise<WebhookNotification>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts Alertmanager on 127.0.0.1 (no clustering) with one route to a
 * local webhook receiver, grouped by alertname and model as a team would
 * configure it, with short group timings so a test sees the firing and the
 * resolved notification within seconds. A missing binary fails the test
 * (the test command installs prometheus-alertmanager).
 */
export async function startAlertmanager(): Promise<RunningAlertmanager> {
  const notifications: WebhookNotification[] = [];
  const waiters: { match: (n: WebhookNotification) => boolean; resolve: (n: WebhookNotification) => void }[] =
    [];
  const receiver: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const notification = JSON.parse(body) as WebhookNotification;
      notifications.push(notification);
      for (const w of [...waiters])
        if (w.match(notification)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(notification);
        }
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  const dir = mkdtempSync(join(tmpdir(), 'modelgate-alertmanager-'));
  writeFileSync(
    join(dir, 'alertmanager.yml'),
    [
      'route:',
      '  receiver: team',
      '  group_by: [alertname, model]',
      '  group_wait: 200ms',
      '  group_interval: 1s',
      '  repeat_interval: 1h',
      'receivers:',
      '  - name: team',
      '    webhook_configs:',
      `      - url: ${hook}`,
      '        send_resolved: true',
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const child: ChildProcess = spawn(
    'prometheus-alertmanager',
    [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
    ],
    { stdio: 'ignore' },
  );
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    await new Promise((resolve) => receiver.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  };
  const waitFor = (match: (n: WebhookNotification) => boolean, timeoutMs = 15_000) => {
    const seen = notifications.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise<WebhookNotification>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('no matching notification from Alertmanager')),
        timeoutMs,
      );
      waiters.push({
        match,
        resolve: (n) => {
          clearTimeout(timer);
          resolve(n);
        },
      });
    });
  };
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    const ready = await fetch(`${url}/-/ready`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ready) return { url, notifications, waitFor, stop };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  throw new Error(`Alertmanager did not become ready on ${url}`);
}
