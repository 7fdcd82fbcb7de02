import { Controller, Get, Header } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AdminOnly } from '../http/admin.guard';
import { InvariantsOverview } from '../invariants/invariants-overview';
import { ViolationQueries } from '../violations/violation-queries';
import { MetricsCollector } from '../metrics/metrics-collector';
import { parkedKeys } from '../sagas/parked-keys';
import { sagaStore } from '../sagas/saga-store';
import { DASHBOARD_CSP, renderDashboard } from './dashboard.view';

@ApiTags('operations')
@Controller('dashboard')
export class DashboardController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly violations: ViolationQueries,
    private readonly invariants: InvariantsOverview,
    private readonly collector: MetricsCollector,
  ) {}

  @Get()
  @AdminOnly()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('content-security-policy', DASHBOARD_CSP)
  @ApiOperation({
    summary: 'Operators\u2019 page: invariants, open and recent violations with their reactions, saga lag',
  })
  async page(): Promise<string> {
    const [open, recent, invariants, lag, partitions, outbox, parked] = await Promise.all([
      this.violations.list({ status: 'open', limit: 100 }),
      this.violations.list({ limit: 50 }),
      this.invariants.rows(),
      this.collector.sagaLag(),
      sagaStore.partitions(this.dataSource.manager),
      this.collector.outboxDepth(),
      parkedKeys.list(this.dataSource.manager),
    ]);
    const violations = [...open, ...recent.filter((v) => v.status !== 'open')];
    return renderDashboard({
      invariants,
      violations,
      lag,
      partitions,
      parked,
      outbox,
      generatedAt: new Date(),
      refreshSeconds: 5,
    });
  }
}
