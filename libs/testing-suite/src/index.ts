export { SuiteFixture, member } from './suite-fixture';
export type { Answer } from './suite-fixture';
export { openstack, openstackCli } from './openstack-cli';
