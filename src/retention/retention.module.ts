import { Module } from '@nestjs/common';
import { RetentionWorker } from './retention.worker';

@Module({ providers: [RetentionWorker], exports: [RetentionWorker] })
export class RetentionModule {}
