export * from './score';
export * from './ach';
export * from './sensitivity';
