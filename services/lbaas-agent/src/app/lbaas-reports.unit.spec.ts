import type { ReconcileResult } from '@neutrino/dataplane';
import { LB_ID, lb, specTree } from '../__fixtures__/tree';
import { LbaasView } from '../view/lbaas-view';
import { lbStats, memberHealth, parseShowStat } from './haproxy-stats';
import { lbaasReports } from './lbaas-reports';

const ok: ReconcileResult = { changes: [], applied: { applied: 0, failed: 0, errors: [], durationMs: 0 }, unresolved: [] };
const pending = () => specTree({ loadbalancer: lb({ provisioning_status: 'PENDING_UPDATE', config_version: 4 }) });
function view(tree = pending()): LbaasView {
  const v = new LbaasView('network1');
  v.trees.set(LB_ID, tree);
  v.lastSeq.set(LB_ID, 17);
  return v;
}
const plan = { id: LB_ID, version: 4, netns: `qlbaas-${LB_ID}` };

describe('lbaasReports', () => {
  it('provisioned at the rendered version, appended at the subject sequence the view knows', () => {
    expect(lbaasReports(view(), [plan], ok)).toEqual([
      { aggregate: { type: 'loadbalancer', id: LB_ID }, type: 'loadbalancer.provisioned', data: { loadbalancer_id: LB_ID, host: 'network1', version: 4 }, expectedSubjectSeq: 17 },
    ]);
  });

  it('nothing pending or waiting for its port: nothing', () => {
    expect(lbaasReports(view(specTree()), [{ ...plan, version: 1 }], ok)).toEqual([]);
    expect(lbaasReports(view(), [{ ...plan, waiting: 'VIP port' }], ok)).toEqual([]);
  });

  it('refused by HAProxy, or a failed change of its own: provisioning_failed with the reason', () => {
    expect(lbaasReports(view(), [{ ...plan, refused: 'haproxy refused: parsing error' }], ok)[0]).toMatchObject({ type: 'loadbalancer.provisioning_failed', data: { version: 4, reason: 'haproxy refused: parsing error' } });
    const failed: ReconcileResult = { ...ok, applied: { applied: 0, failed: 1, errors: [{ changes: [{ kind: 'process.start', process: { id: `haproxy-${LB_ID}` } }], command: 'x', message: 'exited with 1' }] as never, durationMs: 0 } };
    expect(lbaasReports(view(), [plan], failed)[0]).toMatchObject({ type: 'loadbalancer.provisioning_failed', data: { reason: 'exited with 1' } });
  });

  it('deleted once torn down on a host that converged', () => {
    const v = view(specTree({ loadbalancer: lb({ provisioning_status: 'PENDING_DELETE' }) }));
    expect(lbaasReports(v, [], ok)).toEqual([{ aggregate: { type: 'loadbalancer', id: LB_ID }, type: 'loadbalancer.deleted', data: { loadbalancer_id: LB_ID }, expectedSubjectSeq: 17 }]);
    expect(lbaasReports(v, [], { ...ok, applied: { ...ok.applied, failed: 1 } })).toEqual([]);
  });
});

const CSV = `# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status
l1,FRONTEND,,,3,5,9985,40,1000,2000,0,0,2,,,,,OPEN
l2,FRONTEND,,,1,1,9985,2,10,20,0,0,0,,,,,OPEN
p1,m1,0,0,2,3,,20,500,1000,,0,,0,0,0,0,UP
p1,m2,0,0,0,3,,20,500,1000,,0,,0,0,0,0,DOWN
p1,m3,0,0,0,3,,0,0,0,,0,,0,0,0,0,UP 1/3
p1,m4,0,0,0,3,,0,0,0,,0,,0,0,0,0,MAINT
p1,m5,0,0,0,3,,0,0,0,,0,,0,0,0,0,no check
p1,BACKEND,0,0,2,3,,40,1000,2000,0,0,,0,0,0,0,UP
`;

describe('show stat', () => {
  it('member health: UP (going down too) ONLINE, DOWN and MAINT OFFLINE, no check says nothing', () => {
    expect(memberHealth(parseShowStat(CSV))).toEqual({ m1: 'ONLINE', m2: 'OFFLINE', m3: 'ONLINE', m4: 'OFFLINE' });
  });

  it('stats from the frontends, per listener and summed', () => {
    expect(lbStats(parseShowStat(CSV))).toEqual({
      bytes_in: 1010, bytes_out: 2020, active_connections: 4, total_connections: 42, request_errors: 2,
      listeners: {
        l1: { bytes_in: 1000, bytes_out: 2000, active_connections: 3, total_connections: 40, request_errors: 2 },
        l2: { bytes_in: 10, bytes_out: 20, active_connections: 1, total_connections: 2, request_errors: 0 },
      },
    });
  });
});
