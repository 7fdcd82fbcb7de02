import { Controller, Get, Header } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { MetricsCollector } from './metrics-collector';

@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly collector: MetricsCollector) {}

  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({
    summary: 'Prometheus metrics: commands, events, saga lag, violations, detection latency, compensations, mail',
  })
  metrics(): Promise<string> {
    return this.collector.render();
  }
}
