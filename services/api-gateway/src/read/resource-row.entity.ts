import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One row per live resource of the gateway's read model: its API body as
 * JSON and the stream sequence of the last event on its subject (the
 * expected sequence for the next optimistic append).
 */
@Entity({ name: 'resources' })
@Index(['kind', 'project_id'])
export class ResourceRow {
  @PrimaryColumn({ type: 'varchar' })
  kind: string;

  @PrimaryColumn({ type: 'varchar' })
  id: string;

  @Column({ type: 'varchar' })
  project_id: string;

  @Column({ type: 'integer' })
  seq: number;

  @Column({ type: 'text' })
  body: string;
}
