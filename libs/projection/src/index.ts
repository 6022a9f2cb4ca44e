export * from './checkpoint.entity';
export * from './projection';
export * from './seq-waiters';
export * from './sqlite';
export * from './admin';
export * from './read-fence';
