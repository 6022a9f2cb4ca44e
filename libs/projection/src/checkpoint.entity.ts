import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The last stream sequence a projection has applied, written in the same transaction as its rows. */
@Entity({ name: 'projection_checkpoint' })
export class ProjectionCheckpoint {
  @PrimaryColumn({ type: 'varchar' })
  name: string;

  @Column({ type: 'integer' })
  seq: number;
}
