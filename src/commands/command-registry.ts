import { Injectable } from '@nestjs/common';
import { ICommand } from '@nestjs/cqrs';
import { CommandMeta } from './command-meta';

export type CommandFactory = (payload: Record<string, any>, meta: CommandMeta) => ICommand;

/**
 * Turns a stored command (type name + JSON payload) back into a command
 * object for the CommandBus. Backstop registers its compensations; an app
 * registers the commands its own sagas issue.
 */
@Injectable()
export class CommandRegistry {
  private readonly factories = new Map<string, CommandFactory>();

  register(type: string, factory: CommandFactory): void {
    if (this.factories.has(type)) throw new Error(`command type ${type} is registered twice`);
    this.factories.set(type, factory);
  }

  create(type: string, payload: Record<string, unknown>, meta: CommandMeta): ICommand {
    const factory = this.factories.get(type);
    if (!factory) throw new Error(`no command registered for type ${type}`);
    return factory(payload, meta);
  }
}
