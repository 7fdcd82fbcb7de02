import { Global, Module } from '@nestjs/common';
import { BackstopMetrics } from '../telemetry/backstop-metrics';
import { MetricsCollector } from './metrics-collector';
import { MetricsController } from './metrics.controller';

@Global()
@Module({
  controllers: [MetricsController],
  providers: [BackstopMetrics, MetricsCollector],
  exports: [BackstopMetrics, MetricsCollector],
})
export class MetricsModule {}
