export { type RedisBackendOptions, redisBackend } from './redis-backend.js';
