import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload, RpcException } from '@nestjs/microservices';
import type { Logger } from '@neutrino/observability';
import { IPAM_PATTERNS, type AllocatePortRequest, type AllocateSegmentRequest, type ReleasePortRequest } from '@neutrino/contracts';
import { IpamError } from './ipam.faults';
import { IpamService } from './ipam.service';
import { LOGGER } from './tokens';

/** The NATS request/reply face of ipam. */
@Controller()
export class IpamController {
  constructor(
    private readonly ipam: IpamService,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  @MessagePattern(IPAM_PATTERNS.allocatePort)
  allocatePort(@Payload() req: AllocatePortRequest) {
    return this.guard(req, () => this.ipam.allocatePort(req));
  }

  @MessagePattern(IPAM_PATTERNS.releasePort)
  releasePort(@Payload() req: ReleasePortRequest) {
    return this.guard(req, async () => (await this.ipam.releasePort(req), { released: true }));
  }

  @MessagePattern(IPAM_PATTERNS.allocateSegment)
  allocateSegment(@Payload() req: AllocateSegmentRequest) {
    return this.guard(req, () => this.ipam.allocateSegment(req));
  }

  @MessagePattern(IPAM_PATTERNS.releaseSegment)
  releaseSegment(@Payload() req: AllocateSegmentRequest) {
    return this.guard(req, async () => (await this.ipam.releaseSegment(req), { released: true }));
  }

  private async guard<T>(req: { request_id: string | null }, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof IpamError) throw new RpcException(err.fault);
      this.log.error({ err, request_id: req.request_id }, 'ipam request failed');
      throw new RpcException({ status: 500, type: 'IpamFailure', message: `ipam failed: ${(err as Error).message}` });
    }
  }
}
