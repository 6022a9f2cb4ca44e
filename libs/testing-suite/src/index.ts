export { SuiteFixture, member } from './suite-fixture';
export type { Answer } from './suite-fixture';
