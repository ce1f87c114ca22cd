import { Controller } from '@nestjs/common';
import { CodedError } from '@prescriptchain/contracts';
import { Route } from '../routes/route';
import { ROUTES } from '../routes/route-table';
import { type Readiness, ServiceProbe } from './service-probe';

@Controller()
export class HealthController {
  constructor(private readonly probe: ServiceProbe) {}

  @Route(ROUTES.health)
  health() {
    return { status: 'ok' as const };
  }

  /** 200 with every service up; otherwise 503 SERVICE_UNAVAILABLE naming each one in `details`. */
  @Route(ROUTES.readiness)
  async ready(): Promise<Readiness> {
    const readiness = await this.probe.check();
    if (readiness.status !== 'ready') {
      const down = Object.entries(readiness.services)
        .filter(([, s]) => s === 'down')
        .map(([name]) => name);
      const why =
        readiness.broker === 'down'
          ? 'The message broker is unreachable.'
          : `Not answering: ${down.join(', ')}.`;
      throw new CodedError('SERVICE_UNAVAILABLE', why, readiness);
    }
    return readiness;
  }
}
