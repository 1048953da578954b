/** Tables in files: entity rows in, training sets out (`.parquet` or `.csv`). */
export { readTableFile, writeTableFile, tableFormatOf, type TableFormat } from './table-file';
export { csvToTable, tableToCsv, parseCsvRows, type CsvReadOptions } from './csv';
export { parquetToTable, tableToParquet, type ParquetWriteOptions } from './parquet';
