/**
 * The kernel's public entry. Other packages (the plugin SDK, the UI shell's dev server, tests of
 * plugins) import from here only.
 */
export { createKernel, type CreateKernelOptions, type Kernel } from './app/build.js';
export type { KernelServices } from './app/services.js';
export { loadConfig, type KernelConfig } from './config/index.js';
export { ERROR_CODES, MosaicError, isMosaicError, type ErrorCode, type ErrorDetail } from './errors/index.js';
export type { Actor, AuthContext } from './auth/context.js';
