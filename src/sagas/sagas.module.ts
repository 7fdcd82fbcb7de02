import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ViolationStore } from '../violations/violation-store';
import { MailModule } from '../mail/mail.module';
import { RetentionModule } from '../retention/retention.module';
import { BatchOutcomes } from './batch-outcomes';
import { CommandDispatcher } from './command-dispatcher.service';
import { CommandRegistry } from '../commands/command-registry';
import { OutputWriter } from './output-writer';
import { ParkedKeyActions } from './parked-key-actions';
import { PartitionProcessor } from './partition-processor';
import { SagaRepartitioner } from './repartition';
import { SagaRegistry } from './saga-registry';
import { SagaRuntime } from './saga-runtime.service';
import { SagasController } from './sagas.controller';

@Global()
@Module({
  imports: [DiscoveryModule, MailModule, RetentionModule],
  controllers: [SagasController],
  providers: [
    SagaRegistry,
    ViolationStore,
    OutputWriter,
    PartitionProcessor,
    CommandRegistry,
    CommandDispatcher,
    SagaRuntime,
    BatchOutcomes,
    SagaRepartitioner,
    ParkedKeyActions,
  ],
  exports: [CommandRegistry, SagaRuntime, SagaRegistry, SagaRepartitioner],
})
export class SagasModule {}
