export { loadConfig, type KernelConfig } from './config.js';
