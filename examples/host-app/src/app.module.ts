import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { BackstopModule } from 'nest-backstop';
import { backstopOptions } from './backstop-options';
import { ShowsModule } from './shows/shows.module';

@Module({
  imports: [
    ConfigModule.forRoot(),
    BackstopModule.forRootAsync({ imports: [ConfigModule], inject: [ConfigService], useFactory: backstopOptions }),
    ShowsModule,
  ],
})
export class AppModule {}
