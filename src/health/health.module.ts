import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { SagasHealthIndicator } from './sagas.health';

@Module({
  imports: [TerminusModule],
  controllers: [HealthController],
  providers: [SagasHealthIndicator],
})
export class HealthModule {}
