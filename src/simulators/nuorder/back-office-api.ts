import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { table } from '../shared/back-office.ts';
import { approveRequestToken, requestTokenOf } from './credentials.ts';
import type { NuorderStore } from './store.ts';

type Page = HtmlEscapedString | Promise<HtmlEscapedString>;
type PageFn = (c: Context, title: string, body: Page, status?: number) => Response | Promise<Response>;

function formText(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/**
 * The back office's API pages: Admin → API Management (consumers, applications waiting for approval, tokens) and
 * the approval page that stands in for NuORDER's pop-up.
 */
export function mountApiPages(
  app: Hono,
  store: NuorderStore,
  page: PageFn,
  fail: (c: Context, error: unknown) => Response | Promise<Response>,
): void {
  const brandName = (id: string): string => store.state.brands.find((b) => b._id === id)?.name ?? id;
  // Admin → API Management (reference §2.2 step 2): applications waiting for approval, and linked tokens.
  app.get('/backoffice/api', (c) => {
    const s = store.state;
    return page(
      c,
      'API management',
      html`<h2>Consumers</h2>
        ${table(
          ['name', 'consumer key'],
          s.consumers.map((k) => [k.name, k.key]),
        )}
        <h2>Pending applications</h2>
        ${table(
          ['application', 'consumer key', 'callback', 'requested', 'status', ''],
          s.requestTokens
            .filter((t) => t.status !== 'used')
            .map((t) => [
              t.application_name,
              t.consumer_key,
              t.callback,
              new Date(t.created_at).toISOString(),
              t.status,
              html`<a href="/oauth/authorize?oauth_token=${t.token}">review and approve</a>`,
            ]),
          'No applications waiting.',
        )}
        <h2>Access tokens</h2>
        ${table(
          ['application', 'consumer key', 'token', 'brands', 'expires'],
          s.accessTokens.map((t) => [
            t.application_name,
            t.consumer_key,
            t.token,
            t.brands ? t.brands.map(brandName).join(', ') : 'all brands',
            t.expires_at ? new Date(t.expires_at).toISOString() : 'never',
          ]),
        )}`,
    );
  });

  // Simulator convenience, not NuORDER's: real approval happens in NuORDER Admin → API Management (reference §2.2;
  // no recording or client shows an authorize URL). This page stands in for that pop-up so a person can approve an
  // application here, reached from the API management page. Clients must not depend on its URL.
  app.get('/oauth/authorize', (c) => {
    const rt = requestTokenOf(store, c.req.query('oauth_token') ?? '');
    if (!rt)
      return page(
        c,
        'Authorize application',
        html`<p>This request token is unknown or has expired. Start the connection again.</p>`,
        404,
      );
    return page(
      c,
      'Authorize application',
      html`<p>
          The application <strong>${rt.application_name}</strong> asks for API access to this NuORDER account. Choose
          the brand portal it may read (a real API connection belongs to one brand portal).
        </p>
        ${
          rt.status === 'approved'
            ? html`<p>Already approved. Verification code: <code id="verifier">${rt.verifier}</code></p>`
            : html`<form method="post" action="/oauth/authorize">
                <input type="hidden" name="oauth_token" value="${rt.token}" />
                <p>
                  Brand portals:
                  <select name="brand">
                    <option value="">All brands</option>
                    ${store.state.brands.map((b) => html`<option value="${b._id}">${b.name}</option>`)}
                  </select>
                </p>
                <button>Approve</button>
              </form>`
        }`,
    );
  });

  app.post('/oauth/authorize', async (c) => {
    const body = await c.req.parseBody();
    try {
      const brand = formText(body['brand']);
      const rt = approveRequestToken(store, formText(body['oauth_token']), brand ? [brand] : null);
      if (rt.callback !== 'oob') return postVerifier(c, rt.callback, rt.token, rt.verifier ?? '');
      return page(
        c,
        'Application approved',
        html`<p>Copy this verification code into <strong>${rt.application_name}</strong>:</p>
          <p><code id="verifier" style="font-size:1.4rem">${rt.verifier}</code></p>`,
      );
    } catch (error) {
      return fail(c, error);
    }
  });
}

/**
 * "NuORDER will POST the callback the oauth_verifier token" (S-SB README, divergences.md F5). How it posts is not
 * recorded [I]; the simulator posts a form (`oauth_token`, `oauth_verifier`, urlencoded) from the person's browser,
 * which submits itself, so the callback runs with the person's session like any sign-in return.
 */
function postVerifier(c: Context, callback: string, token: string, verifier: string): Response | Promise<Response> {
  return c.html(
    html`<!doctype html>
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <title>Returning to the application…</title>
        </head>
        <body>
          <form id="callback" method="post" action="${callback}">
            <input type="hidden" name="oauth_token" value="${token}" />
            <input type="hidden" name="oauth_verifier" value="${verifier}" />
            <p>Approved. Returning to the application…</p>
            <noscript><button>Continue</button></noscript>
          </form>
          <script>
            document.getElementById('callback').submit();
          </script>
        </body>
      </html>`,
  );
}
