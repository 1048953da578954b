import { parquetMetadataAsync } from 'hyparquet';
import { ParquetFile } from 'parquet-wasm';
test('probe', async () => { expect(typeof parquetMetadataAsync).toBe('function'); expect(typeof ParquetFile.fromFile).toBe('function'); });
