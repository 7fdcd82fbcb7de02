import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { InvariantsOverview } from './invariants-overview';

/**
 * GET /invariants: the declared invariants as configured, with their open episode counts (listed under the violations
 * tag of the API docs, as before).
 */
@ApiTags('violations')
@Controller()
export class InvariantsController {
  constructor(private readonly overview: InvariantsOverview) {}

  @Get('invariants')
  invariants() {
    return this.overview.summary();
  }
}
