import { createApp } from './app.js';
import { createLogger } from './logger.js';

const logger = createLogger();
const port = Number(process.env.PORT ?? 3000);
createApp(logger).listen(port, '127.0.0.1', () => {
  logger.info({ port }, 'listening');
});
