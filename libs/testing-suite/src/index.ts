export { SuiteFixture, member } from './suite-fixture';
export type { Answer } from './suite-fixture';
export { neutron, openstack, openstackCli } from './openstack-cli';
export { KeystoneFixture, keystoneAvailable } from './keystone';
export type { Credentials } from './keystone';
