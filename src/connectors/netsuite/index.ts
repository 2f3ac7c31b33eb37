/** NetSuite (the ERP of the sales sync): the one manifest the composition root registers (src/main.ts). */
import { AppError } from '../../core/errors.ts';
import type { ConnectorManifest } from '../../core/ports/connection.ts';
import { createNetsuiteClient, netsuiteOrigin } from './client.ts';
import { createNetsuiteSalesOrders } from './erp-sales-orders.ts';

export const netsuite: ConnectorManifest = {
  system: 'netsuite',
  kind: 'erp',
  label: 'NetSuite',
  configKey: 'netsuite',
  open: {
    async erpSalesOrders(deps, account) {
      const credentials = await deps.credentials();
      if (credentials.kind !== 'tba')
        throw new AppError(
          'CONNECTION_NEEDS_RELINK',
          `${account.name} holds no NetSuite token credentials; link it again`,
        );
      const { kind: _kind, ...tba } = credentials;
      return createNetsuiteSalesOrders(
        createNetsuiteClient({
          // The configured host (NETSUITE_BASE_URL: a simulator), else the account's own: never a stored URL.
          baseUrl: (deps.provider.baseUrl ?? netsuiteOrigin(account.externalAccountId)).replace(/\/+$/, ''),
          credentials: { accountId: account.externalAccountId, ...tba },
          logger: deps.logger,
          timeoutMs: 20_000,
        }),
      );
    },
  },
};
