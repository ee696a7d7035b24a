/**
 * `@mosaic/plugin-sdk/testing`: a real kernel for a plugin's tests, on a throwaway PostgreSQL database,
 * with the plugin installed. Node only; never imported by server code.
 */
export { startTestKernel, type TestKernel, type TestKernelOptions } from './start.js';
export type { TestResponse } from './client.js';
export { DEFAULT_DATABASE_URL } from './database.js';
