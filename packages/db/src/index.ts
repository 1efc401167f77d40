import 'reflect-metadata';

export * from './ids.js';
export * from './secret-box.js';
export * from './data-source.js';
export * from './database.module.js';
export * from './database-unavailable.js';
export * from './migrate.js';
export * from './reseal.js';
export * from './repositories/index.js';
