import { networkDecider, type NetworkCommand } from '@neutrino/domain';
import type { RequestContext } from '../http/request-context';
import type { ReadModel } from '../read/read-model';
import type { CommandHandler } from './command-handler';
import { aggregate, networkState } from './states';

/**
 * Commands on one network's subject, decided on fresh state by the command
 * handler: what the deletion steps, the port joins and the settlers append
 * (the network's subject serializes deletions against port creates).
 */
export const onNetwork = (handler: CommandHandler, model: ReadModel, ctx: RequestContext, networkId: string) => (command: NetworkCommand) =>
  handler.handle(ctx, {
    aggregate: aggregate('network', networkId),
    load: () => networkState(model, networkId),
    decide: (s) => networkDecider.decide(command, s),
  });
