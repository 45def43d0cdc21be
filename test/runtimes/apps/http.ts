import { createServer, type Server } from 'node:http';
import { globalLock, withCurrent } from 'current-attributes/http';
import { Current, io, lockedWork, overlapCount } from './shared.js';

/** The same routes on node:http with `withCurrent` and a `globalLock`. */
export function httpServer(): Server {
  const lock = globalLock();
  const locked = lock(async (_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(await lockedWork()));
  });
  return createServer(
    withCurrent(
      async (req, res) => {
        if (req.url === '/read') {
          await io();
          res.end(Current.user ?? '');
        } else if (req.url === '/locked') await locked(req, res);
        else res.end(JSON.stringify({ overlaps: overlapCount(), lock: lock.stats }));
      },
      {
        setup: (req) => {
          Current.user = req.headers['x-user'] as string | undefined;
        },
      },
    ),
  );
}
