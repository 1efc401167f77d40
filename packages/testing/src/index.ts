export * from './databases.js';
export * from './redis.js';
export * from './config.js';
export * from './receiver.js';
