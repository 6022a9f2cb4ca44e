import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataSource, type EntitySchema } from 'typeorm';
import { ProjectionCheckpoint } from './checkpoint.entity';

type EntityTarget = (new (...args: any[]) => unknown) | EntitySchema;

/** Opens (creating if needed) one service's SQLite database with its projection tables. */
export async function openSqlite(file: string, entities: EntityTarget[]): Promise<DataSource> {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const ds = new DataSource({
    type: 'better-sqlite3',
    database: file,
    entities: [ProjectionCheckpoint, ...entities],
    synchronize: true,
    prepareDatabase: (db: any) => {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    },
  });
  return ds.initialize();
}
