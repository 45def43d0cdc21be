import type { Row } from '../harness/cell.js';
import { rows as amqplib } from './amqplib.js';
import { rows as dataloader } from './dataloader.js';
import { rows as drizzle } from './drizzle.js';
import { rows as events } from './events.js';
import { rows as graphql } from './graphql.js';
import { rows as httpClients } from './http-clients.js';
import { rows as ioredis } from './ioredis.js';
import { rows as knex } from './knex.js';
import { rows as kysely } from './kysely.js';
import { rows as limiters } from './limiters.js';
import { rows as mysql2 } from './mysql2.js';
import { rows as pg } from './pg.js';
import { rows as pgPromise } from './pg-promise.js';
import { rows as postgres } from './postgres.js';
import { rows as redis } from './redis.js';
import { rows as socketIo } from './socket-io.js';
import { rows as streamsTimers } from './streams-timers.js';
import { rows as workers } from './workers.js';
import { rows as ws } from './ws.js';

/** Every row of the matrix, in the order the page lists them; RabbitMQ's last, as it boots last. */
export const allRows: readonly Row[] = [
  ...pg,
  ...postgres,
  ...pgPromise,
  ...mysql2,
  ...knex,
  ...kysely,
  ...drizzle,
  ...ioredis,
  ...redis,
  ...limiters,
  ...dataloader,
  ...httpClients,
  ...events,
  ...streamsTimers,
  ...ws,
  ...socketIo,
  ...graphql,
  ...workers,
  ...amqplib,
];
