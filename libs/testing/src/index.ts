export * from './test-env';
export * from './test-stack';
export * from './factories';
export * from './sse';
export * from './routes';
export * from './pubsub';
export * from './ports';
