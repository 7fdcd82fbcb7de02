import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandMeta, CommandRunner } from 'nest-backstop';
import { Show, ShowState } from './show.aggregate';
import { ShowRepository } from './show.repositories';

export class ScheduleShowCommand extends Command<ShowState> {
  /** The stable name in Backstop's logs and metrics, never the class name. */
  static readonly type = 'ScheduleShow';

  constructor(
    readonly showId: string,
    readonly title: string,
    readonly capacity: number,
    readonly meta: CommandMeta = {},
  ) {
    super();
  }
}

@CommandHandler(ScheduleShowCommand)
export class ScheduleShowHandler implements ICommandHandler<ScheduleShowCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly shows: ShowRepository,
  ) {}

  execute(command: ScheduleShowCommand): Promise<ShowState> {
    const { showId, title, capacity, meta } = command;
    return this.runner.run(command, async (tx) => {
      const existing = await this.shows.load(tx, showId);
      // The same request again is a safe retry; another one with this id is an ID_CONFLICT.
      if (existing) return (await this.shows.assertCreatedWith(tx, existing, { title, capacity })).snapshot();
      const show = Show.schedule(showId, title, capacity);
      await this.shows.save(tx, show, meta);
      return show.snapshot();
    });
  }
}
