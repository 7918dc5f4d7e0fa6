export * from './constants';
export * from './inputs';
export * from './method';
export * from './judgment';
export * from './sensitivity';
export * from './overlap';
