/** Demo data for `npm start -- --demo`: a workspace filled with a realistic CRM data set. */
export { seedDemo, DEMO_ACCOUNT, type DemoOptions, type DemoResult } from './seed.js';
export { buildDemoDataSet, DEFAULT_DEMO_SIZE, type DemoDataSet, type DemoSize } from './dataset.js';
