export { exportCsv, type CsvExport, type ExportQuery } from './stream.js';
export { exportColumns, type ExportColumn, type HeaderMode } from './columns.js';
export { BOM, csvCell, csvRow, textCell } from './csv.js';
