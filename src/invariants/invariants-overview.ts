import { Injectable } from '@nestjs/common';
import { InvariantRegistry } from './invariant-registry';
import { invariantSagaOptions } from './invariant-saga';
import { InvariantSettings } from './invariant-settings';
import { ViolationQueries } from '../violations/violation-queries';

/** The declared invariants as configured, with their open episode counts. */
@Injectable()
export class InvariantsOverview {
  constructor(
    private readonly registry: InvariantRegistry,
    private readonly settings: InvariantSettings,
    private readonly violations: ViolationQueries,
  ) {}

  async summary() {
    const open = await this.violations.openCounts();
    return this.registry.all().map((invariant) => {
      const { strategy, reactions, tolerance } = this.settings.of(invariant.name);
      const { key, events } = invariantSagaOptions(invariant);
      return {
        name: invariant.name,
        key: typeof key === 'string' ? key : 'computed',
        strategy,
        reactions,
        // A per-key tolerance (a coupon's allowedOverbooking) has no single figure.
        tolerance: invariant.tolerance === 'per-key' ? null : tolerance,
        events,
        openViolations: open[invariant.name] ?? 0,
      };
    });
  }

  /** The summary with the dashboard's text for a per-key tolerance. */
  async rows() {
    const labels = new Map(this.registry.all().map((invariant) => [invariant.name, invariant.toleranceLabel]));
    return (await this.summary()).map((row) => ({ ...row, toleranceLabel: labels.get(row.name) ?? 'per key' }));
  }
}
