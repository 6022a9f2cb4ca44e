import { Metrics } from './metrics';

describe('Metrics', () => {
  it('exposes request counts and latency per route and status in Prometheus text', async () => {
    const m = new Metrics('test');
    m.httpRequests.inc({ method: 'POST', route: '/v2.0/ports', status: '201' });
    m.httpLatency.observe({ method: 'POST', route: '/v2.0/ports', status: '201' }, 0.003);
    const text = await m.text();
    expect(text).toMatch(/neutrino_http_requests_total\{method="POST",route="\/v2.0\/ports",status="201",service="test"\} 1/);
    const bucket = text.split('\n').find((l) => l.startsWith('neutrino_http_request_duration_seconds_bucket{le="0.005"'));
    expect(bucket).toMatch(/route="\/v2.0\/ports",status="201"\} 1$/);
    expect(text).toMatch(/process_resident_memory_bytes/);
  });
});
