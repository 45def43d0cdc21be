import { Agent, request } from 'node:http';
import { connect } from 'node:net';

/** What the soak's clients did and saw. */
export interface ClientFigures {
  requests: number;
  answered: number;
  /** Answers whose body did not end with the request's own user. */
  wrongAnswers: number;
  hungUp: number;
  /** Connections that sent several requests at once and hung up before all were answered. */
  pipelinedConnections: number;
  failed: number;
}

/** Requests one pipelined connection sends before it hangs up. */
const PIPELINED = 8;

/**
 * Sends `total` requests to `port` from `concurrency` clients at a time, a
 * mix per index: most answered over keep-alive connections (plain and
 * streamed bodies), and every twentieth of each kind a client that hangs up
 * mid-handler, mid-stream, while queued for the lock, or a connection that
 * pipelines eight requests and dies before their answers.
 */
export async function drive(port: number, total: number, concurrency: number, onProgress?: (done: number) => void) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const figures: ClientFigures = {
    requests: 0,
    answered: 0,
    wrongAnswers: 0,
    hungUp: 0,
    pipelinedConnections: 0,
    failed: 0,
  };
  let next = 0;
  let reported = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const index = next;
        const kind = index % 20;
        if (kind === 3 && index % 40 === 3) {
          next += PIPELINED;
          await pipelined(port, index);
          figures.pipelinedConnections += 1;
          figures.requests += PIPELINED;
          figures.hungUp += PIPELINED;
        } else {
          next += 1;
          figures.requests += 1;
          const outcome = await send(port, index, agent);
          figures[outcome] += 1;
        }
        if (figures.requests - reported >= 10_000) {
          reported = figures.requests;
          onProgress?.(reported);
        }
      }
    }),
  );
  agent.destroy();
  return figures;
}

type Outcome = 'answered' | 'wrongAnswers' | 'hungUp' | 'failed';

/** The path of request `index`: which route, and `slow` for one whose client hangs up while it runs. */
function pathOf(index: number): string {
  const kind = index % 20;
  if (kind === 0) return `/plain/${index}-slow`;
  if (kind === 1) return `/stream/${index}-slow`;
  return `${kind < 10 && kind !== 2 ? '/stream' : '/plain'}/${index}`;
}

function send(port: number, index: number, agent: Agent): Promise<Outcome> {
  const kind = index % 20;
  const user = `user-${index}`;
  const hangsUpAtFirstByte = kind === 0 || kind === 1;
  const hangsUpSoon = kind === 2;
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: pathOf(index),
        headers: { 'x-user': user },
        agent: hangsUpAtFirstByte || hangsUpSoon ? false : agent,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
          if (hangsUpAtFirstByte) {
            req.destroy();
            resolve('hungUp');
          }
        });
        res.on('end', () => resolve(body.endsWith(user) ? 'answered' : 'wrongAnswers'));
        res.on('error', () => resolve(hangsUpAtFirstByte || hangsUpSoon ? 'hungUp' : 'failed'));
      },
    );
    req.on('error', () => resolve(hangsUpAtFirstByte || hangsUpSoon ? 'hungUp' : 'failed'));
    if (hangsUpSoon) setTimeout(() => req.destroy(), 1 + (index % 3));
    req.end();
  });
}

/** One connection that sends `PIPELINED` requests at once and hangs up 0 to 4 ms later, answered or not. */
function pipelined(port: number, index: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      const requests = Array.from({ length: PIPELINED }, (_, offset) => {
        const path = `${offset % 2 === 0 ? '/plain' : '/stream'}/${index + offset}`;
        return `GET ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\nx-user: user-${index + offset}\r\n\r\n`;
      });
      socket.write(requests.join(''));
      setTimeout(() => socket.destroy(), index % 5);
    });
    socket.on('data', () => undefined);
    socket.on('error', () => undefined);
    socket.on('close', () => resolve());
  });
}
