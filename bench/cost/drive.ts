import { Agent, get } from 'node:http';

/**
 * Sends `count` GET requests to `127.0.0.1:port` over `connections`
 * keep-alive connections, each as its own user (`x-user`), and resolves once
 * every answer arrived. Plain node:http, so the driver's own cost is small
 * and the same for every app.
 */
export function drive(port: number, count: number, connections = 10): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  let sent = 0;
  let answered = 0;
  return new Promise<void>((resolve, reject) => {
    const next = () => {
      if (sent === count) return;
      sent += 1;
      get({ host: '127.0.0.1', port, path: '/', agent, headers: { 'x-user': `user-${sent}` } }, (res) => {
        res.resume();
        res.on('end', () => {
          answered += 1;
          if (answered === count) resolve();
          else next();
        });
      }).on('error', reject);
    };
    for (let i = 0; i < connections; i += 1) next();
  }).finally(() => agent.destroy());
}
