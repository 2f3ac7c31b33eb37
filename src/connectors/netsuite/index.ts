/** NetSuite (the ERP of the sales sync): the one manifest the composition root registers (src/main.ts). */
import { AppError } from '../../core/errors.ts';
import type { ConnectorManifest, ProviderSettings } from '../../core/ports/connection.ts';
import { createNetsuiteClient, netsuiteOrigin, netsuiteRealm } from './client.ts';
import { createNetsuiteSalesOrders } from './erp-sales-orders.ts';

/** The configured host (NETSUITE_BASE_URL: a simulator), else the account's own: never a stored or requested URL. */
const baseUrlOf = (provider: ProviderSettings, accountId: string): string =>
  (provider.baseUrl ?? netsuiteOrigin(accountId)).replace(/\/+$/, '');

export const netsuite: ConnectorManifest = {
  system: 'netsuite',
  kind: 'erp',
  label: 'NetSuite',
  configKey: 'netsuite',
  // A relink replaces the credentials in the same sealed secret: this setting changes then, so ports reopen.
  settingsRead: ['credentialsSetAt'],
  link: {
    kind: 'tba',
    accountId(input) {
      const realm = netsuiteRealm(input.trim());
      return /^[A-Z0-9_]{3,40}$/.test(realm) ? realm : null;
    },
    baseUrl: baseUrlOf,
    async verify({ provider, accountId, credentials, logger }) {
      const { kind: _kind, ...tba } = credentials;
      const client = createNetsuiteClient({
        baseUrl: baseUrlOf(provider, accountId),
        credentials: { accountId, ...tba },
        logger,
        timeoutMs: 15_000,
        retry: { attempts: 1, baseMs: 0, capMs: 0 },
      });
      await client.suiteql('SELECT id FROM location', { limit: 1 });
    },
  },
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
          baseUrl: baseUrlOf(deps.provider, account.externalAccountId),
          credentials: { accountId: account.externalAccountId, ...tba },
          logger: deps.logger,
          timeoutMs: 20_000,
        }),
      );
    },
  },
};
