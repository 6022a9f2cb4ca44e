import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload, RpcException } from '@nestjs/microservices';
import type { Logger, Metrics } from '@neutrino/observability';
import { IPAM_PATTERNS, type AllocatePortRequest, type AllocateSegmentRequest, type ReleasePortRequest } from '@neutrino/contracts';
import { IpamError } from './ipam.faults';
import { IpamService } from './ipam.service';
import { LOGGER, METRICS } from './tokens';

/** The NATS request/reply face of ipam. */
@Controller()
export class IpamController {
  constructor(
    private readonly ipam: IpamService,
    @Inject(LOGGER) private readonly log: Logger,
    @Inject(METRICS) private readonly metrics: Metrics,
  ) {}

  @MessagePattern(IPAM_PATTERNS.allocatePort)
  allocatePort(@Payload() req: AllocatePortRequest) {
    return this.guard(IPAM_PATTERNS.allocatePort, req, () => this.ipam.allocatePort(req));
  }

  @MessagePattern(IPAM_PATTERNS.releasePort)
  releasePort(@Payload() req: ReleasePortRequest) {
    return this.guard(IPAM_PATTERNS.releasePort, req, async () => (await this.ipam.releasePort(req), { released: true }));
  }

  @MessagePattern(IPAM_PATTERNS.allocateSegment)
  allocateSegment(@Payload() req: AllocateSegmentRequest) {
    return this.guard(IPAM_PATTERNS.allocateSegment, req, () => this.ipam.allocateSegment(req));
  }

  @MessagePattern(IPAM_PATTERNS.releaseSegment)
  releaseSegment(@Payload() req: AllocateSegmentRequest) {
    return this.guard(IPAM_PATTERNS.releaseSegment, req, async () => (await this.ipam.releaseSegment(req), { released: true }));
  }

  /** Times the call, and turns failures into the faults the gateway understands. */
  private async guard<T>(subject: string, req: { request_id: string | null }, fn: () => Promise<T>): Promise<T> {
    const t0 = process.hrtime.bigint();
    let outcome = 'ok';
    try {
      return await fn();
    } catch (err) {
      if (err instanceof IpamError) {
        outcome = err.fault.type;
        throw new RpcException(err.fault);
      }
      outcome = 'error';
      this.log.error({ err, request_id: req.request_id }, 'ipam request failed');
      throw new RpcException({ status: 500, type: 'IpamFailure', message: `ipam failed: ${(err as Error).message}` });
    } finally {
      this.metrics.rpcLatency.observe({ subject, outcome }, Number(process.hrtime.bigint() - t0) / 1e9);
    }
  }
}
