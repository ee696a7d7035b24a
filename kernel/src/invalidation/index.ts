export { Invalidation, type InvalidationTopic } from './invalidation.js';
