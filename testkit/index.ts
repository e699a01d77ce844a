// The test kit every suite imports: `import { waitFor, startPrometheus } from '../../testkit/index.ts'`.
// Servers bind loopback port 0 and report the port they got, so parallel test files cannot collide.
export * from './assert-close.ts';
export * from './base.ts';
export * from './exporter-process.ts';
export * from './metrics-text.ts';
export * from './model-server.ts';
export * from './postgres.ts';
export * from './process.ts';
export * from './prometheus.ts';
export * from './services.ts';
