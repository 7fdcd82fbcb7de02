import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ViolationReactions, ViolationView } from './violation.view';

export interface ViolationFilter {
  invariant?: string;
  key?: string;
  status?: 'open' | 'resolved';
  limit: number;
}

/** Violations with what was done about them: compensating commands and alert mails. */
@Injectable()
export class ViolationQueries {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(filter: ViolationFilter): Promise<ViolationView[]> {
    const rows = await this.dataSource.query(
      `SELECT id, invariant, key, status, detected_at, resolved_at, details FROM violations
        WHERE ($1::text IS NULL OR invariant = $1) AND ($2::text IS NULL OR key = $2) AND ($3::text IS NULL
          OR status = $3)
        ORDER BY detected_at DESC, id LIMIT $4`,
      [filter.invariant ?? null, filter.key ?? null, filter.status ?? null, filter.limit],
    );
    return this.withReactions(rows);
  }

  async get(id: string): Promise<ViolationView | undefined> {
    const rows = await this.dataSource.query(
      `SELECT id, invariant, key, status, detected_at, resolved_at, details FROM violations WHERE id = $1`,
      [id],
    );
    return (await this.withReactions(rows))[0];
  }

  async openCounts(): Promise<Record<string, number>> {
    const rows: { invariant: string; n: number }[] = await this.dataSource.query(
      `SELECT invariant, count(*)::int AS n FROM violations WHERE status = 'open' GROUP BY invariant`,
    );
    return Object.fromEntries(rows.map((row) => [row.invariant, row.n]));
  }

  private async withReactions(rows: Record<string, any>[]): Promise<ViolationView[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((row) => row.id);
    const commands = await this.dataSource.query(
      `SELECT command_id, command_type, payload->>'orderId' AS order_id, payload->>'violationId'
        AS violation_id, status, attempts, last_error
         FROM command_outbox WHERE payload->>'violationId' = ANY($1::text[]) ORDER BY created_at`,
      [ids],
    );
    const mails = await this.dataSource.query(
      `SELECT message_id, violation_id::text, kind, status, attempts, sent_at, last_error
         FROM mail_outbox WHERE violation_id = ANY($1::uuid[]) ORDER BY created_at`,
      [ids],
    );
    return rows.map((row) => {
      const reactions: ViolationReactions = {
        commands: commands
          .filter((c: any) => c.violation_id === row.id)
          .map((c: any) => ({
            commandId: c.command_id,
            type: c.command_type,
            orderId: c.order_id,
            status: c.status,
            attempts: c.attempts,
            lastError: c.last_error,
          })),
        mails: mails
          .filter((m: any) => m.violation_id === row.id)
          .map((m: any) => ({
            messageId: m.message_id,
            kind: m.kind,
            status: m.status,
            attempts: m.attempts,
            sentAt: m.sent_at,
            lastError: m.last_error,
          })),
      };
      return {
        id: row.id,
        invariant: row.invariant,
        key: row.key,
        status: row.status,
        detectedAt: row.detected_at,
        resolvedAt: row.resolved_at,
        details: row.details,
        reactions,
      };
    });
  }
}
