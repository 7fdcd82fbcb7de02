import { RETENTION_DEFAULTS, retentionSettings } from './retention-settings';

describe('retentionSettings', () => {
  it('fills what the options leave out (or set to undefined) with the defaults', () => {
    expect(retentionSettings()).toEqual(RETENTION_DEFAULTS);
    expect(retentionSettings({ mailDays: 7, outboxDays: undefined })).toEqual({ ...RETENTION_DEFAULTS, mailDays: 7 });
    expect(RETENTION_DEFAULTS).toMatchObject({
      commandIdsDays: 30,
      outboxDays: 30,
      mailDays: 30,
      violationsDays: 90,
      intervalMs: 300_000,
      batchSize: 1000,
    });
  });

  it('takes a fraction of a day', () => {
    expect(retentionSettings({ commandIdsDays: 0.5 }).commandIdsDays).toBe(0.5);
  });

  it.each([
    [{ commandIdsDays: 0 }, 'retention.commandIdsDays'],
    [{ violationsDays: -1 }, 'retention.violationsDays'],
    [{ mailDays: Number.NaN }, 'retention.mailDays'],
    [{ intervalMs: 0 }, 'retention.intervalMs'],
    [{ batchSize: 1.5 }, 'retention.batchSize'],
    [{ pauseMs: -5 }, 'retention.pauseMs'],
  ])('refuses %p, naming the option: a window of nothing would delete every finished row at once', (options, name) => {
    expect(() => retentionSettings(options)).toThrow(name);
  });
});
