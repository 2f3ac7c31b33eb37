/**
 * Linking a NuORDER brand portal (reference §2.2, divergences.md F5): OAuth 1.0a where an admin approves the
 * application out of band. The request token and the access-token exchange; the flow around them (pending links,
 * the callback, choosing the retailer) is flows/link-nuorder.ts.
 */
import type { OAuth1Link } from '../../core/ports/connection.ts';
import { accessToken, requestToken } from './client.ts';

export const nuorderLink: OAuth1Link = {
  kind: 'oauth1',
  requestToken: (input) => requestToken(input),
  async accessToken(input) {
    const { consumerKey, consumerSecret, token, tokenSecret } = await accessToken(input);
    return { consumerKey, consumerSecret, token, tokenSecret };
  },
};
