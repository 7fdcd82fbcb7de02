import { Global, Module, OnApplicationShutdown } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BACKSTOP_OPTIONS, BackstopOptions } from '../config/backstop.options';
import { AppendSignal } from './append-signal';
import { EventLogService } from './event-log.service';

@Global()
@Module({
  providers: [
    EventLogService,
    {
      provide: AppendSignal,
      inject: [getDataSourceToken(), BACKSTOP_OPTIONS],
      // Every instance notifies, whether it runs sagas or not.
      useFactory: (dataSource: DataSource, options: BackstopOptions) =>
        new AppendSignal(dataSource, options.databaseUrl),
    },
  ],
  exports: [EventLogService, AppendSignal],
})
export class EventLogModule implements OnApplicationShutdown {
  constructor(private readonly appends: AppendSignal) {}

  async onApplicationShutdown(): Promise<void> {
    await this.appends.stop();
  }
}
