import { DuckDBInstance } from '@duckdb/node-api';
const inst = await DuckDBInstance.create('../../warehouse/dev.duckdb', { access_mode: 'READ_ONLY' });
const c = await inst.connect();
console.table((await c.runAndReadAll(process.argv[2])).getRowObjectsJson());
