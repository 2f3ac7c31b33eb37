/** NuORDER (the wholesale source): the one manifest the composition root registers (src/main.ts). */
import { AppError } from '../../core/errors.ts';
import type { ConnectorManifest } from '../../core/ports/connection.ts';
import { nuorderLink } from './link.ts';
import { createNuorderSource } from './source.ts';
import { createNuorderOrderCreation } from './create-order.ts';

export const nuorder: ConnectorManifest = {
  system: 'nuorder',
  kind: 'wholesale',
  label: 'NuORDER',
  configKey: 'nuorder',
  settingsRead: ['brandId', 'brandName', 'retailerId', 'retailerName'],
  link: nuorderLink,
  open: {
    async wholesaleSource(deps, account) {
      const credentials = await deps.credentials();
      if (credentials.kind !== 'oauth1')
        throw new AppError('CONNECTION_NEEDS_RELINK', 'NuORDER credentials are missing; link again');
      const { kind: _kind, ...oauth1 } = credentials;
      return createNuorderSource({
        baseUrl: account.baseUrl,
        credentials: oauth1,
        brand: {
          sourceId: String(account.settings['brandId'] ?? account.externalAccountId),
          name: String(account.settings['brandName'] ?? account.name),
        },
        // The merchant's store among the brand's retailers; none chosen → the source imports nothing.
        retailer:
          typeof account.settings['retailerId'] === 'string'
            ? {
                sourceId: account.settings['retailerId'],
                name: String(account.settings['retailerName'] ?? account.settings['retailerId']),
              }
            : null,
        logger: deps.logger,
      });
    },
    async wholesaleOrderCreation(deps, account) {
      const credentials = await deps.credentials();
      if (credentials.kind !== 'oauth1')
        throw new AppError('CONNECTION_NEEDS_RELINK', 'NuORDER credentials are missing; link again');
      const { kind: _kind, ...oauth1 } = credentials;
      const retailerId = account.settings['retailerId'];
      return createNuorderOrderCreation({
        baseUrl: account.baseUrl,
        credentials: async () => oauth1,
        retailer: typeof retailerId === 'string' ? { sourceId: retailerId } : null,
      });
    },
  },
};
