import { Module } from '@nestjs/common';
import { MailOutboxWorker } from './mail-outbox.worker';
import { MailTransport } from './mail-transport';

@Module({ providers: [MailTransport, MailOutboxWorker], exports: [MailOutboxWorker] })
export class MailModule {}
