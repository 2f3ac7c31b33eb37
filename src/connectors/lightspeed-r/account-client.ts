import type { ConnectorDeps, LinkedAccount } from '../../core/ports/connection.ts';
import { createRSeriesClient, type RSeriesClient } from './client.ts';

/**
 * The authenticated client of a linked R-Series account, the one builder every port of this connector opens with:
 * token refresh under the store's lock, and one rate budget per account and app (the same key for every port).
 */
export function rSeriesClientFor(deps: ConnectorDeps, account: LinkedAccount): RSeriesClient {
  const clientId = deps.provider.clientId ?? '';
  return createRSeriesClient({
    apiBaseUrl: account.baseUrl,
    accountId: account.externalAccountId,
    connectionId: account.id,
    tokens: deps.tokens,
    oauth: {
      tokenUrl: String(account.settings['tokenUrl'] ?? ''),
      clientId,
      ...(deps.provider.clientSecret ? { clientSecret: deps.provider.clientSecret } : {}),
    },
    budgets: deps.budgets,
    budgetKey: `lightspeed-r:${account.externalAccountId}:${clientId}`,
    logger: deps.logger,
  });
}
