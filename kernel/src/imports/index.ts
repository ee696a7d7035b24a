export { importRoutes } from './routes.js';
export { ImportService, importService, type ImportView, type ObjectJson, type PreparedImport, type StartInput, type TargetJson } from './service.js';
export type { ErrorMode, ImportJob, ImportSettings, ImportStatus, RowError } from './store.js';
export { CsvParser, parseCsv } from './csv-parser.js';
