/**
 * Checks a running Tradeloop from the outside, as an auditor would (issue 12, acceptance 7): security
 * headers, request-size limits, login CSRF, session-bound OAuth state, constant-time login and login
 * throttling. Prints one PASS/FAIL line per check and exits 1 when any fails.
 *
 *   node scripts/security-check.ts --url http://127.0.0.1:3000 --email demo@tradeloop.test --password …
 *
 * It signs in as that user and then locks the account and this machine's address out of sign-in for
 * a while (the throttling checks): run it against a test or demo server, not production.
 */
import { request } from 'node:http';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { url: { type: 'string' }, email: { type: 'string' }, password: { type: 'string' } },
});
if (!values.url || !values.email || !values.password) {
  console.error('usage: node scripts/security-check.ts --url <base url> --email <user email> --password <password>');
  process.exit(2);
}
const base = values.url.replace(/\/$/, '');
const email = values.email;
const password = values.password;
const results: Array<{ ok: boolean; name: string; detail: string }> = [];

function check(name: string, ok: boolean, detail: string): void {
  results.push({ ok, name, detail });
  console.log(`${ok ? 'PASS' : 'FAIL'} ${name}: ${detail}`);
}

interface Reply {
  status: number;
  headers: Headers;
  text: string;
}

async function call(
  method: string,
  path: string,
  init: { body?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const response = await fetch(`${base}${path}`, { method, redirect: 'manual', ...init });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

const json = { 'content-type': 'application/json' };
const loginBody = (pw: string, who = email): string => JSON.stringify({ email: who, password: pw });

async function signIn(): Promise<{ cookie: string; csrf: string } | undefined> {
  const reply = await call('POST', '/api/auth/login', { body: loginBody(password), headers: json });
  if (reply.status !== 200) return undefined;
  const cookie = (reply.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return { cookie, csrf: (JSON.parse(reply.text) as { csrfToken: string }).csrfToken };
}

async function headers(): Promise<void> {
  for (const path of ['/', '/api/auth/me', '/api/openapi.json', '/health', '/no-such-page']) {
    const reply = await call('GET', path);
    const csp = reply.headers.get('content-security-policy') ?? '';
    const problems: string[] = [];
    if (!/frame-ancestors 'none'/.test(csp)) problems.push(`CSP without frame-ancestors 'none' (${csp || 'none'})`);
    if (!/default-src 'self'/.test(csp) || /script-src[^;]*'unsafe-(inline|eval)'/.test(csp))
      problems.push('CSP not strict');
    if (reply.headers.get('x-content-type-options') !== 'nosniff') problems.push('no X-Content-Type-Options: nosniff');
    if (!reply.headers.get('referrer-policy')) problems.push('no Referrer-Policy');
    if (path.startsWith('/api') && !/no-store/.test(reply.headers.get('cache-control') ?? ''))
      problems.push('API answer without Cache-Control: no-store');
    if (base.startsWith('https://') && !reply.headers.get('strict-transport-security'))
      problems.push('no HSTS on https');
    check(
      `headers ${path}`,
      problems.length === 0,
      problems.join('; ') || `CSP, nosniff, Referrer-Policy${path.startsWith('/api') ? ', no-store' : ''}`,
    );
  }
}

/**
 * Sends a body of `totalBytes` (announced in Content-Length, or streamed chunked without it); resolves with
 * the status and how much was sent when the server answered or closed the connection.
 */
function sendBody(
  path: string,
  totalBytes: number,
  announced: boolean,
): Promise<{ status: number; sentBytes: number; body: string }> {
  const url = new URL(`${base}${path}`);
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const req = request(
      {
        method: 'POST',
        hostname: url.hostname,
        port: url.port,
        path: url.pathname,
        headers: {
          ...json,
          ...(announced ? { 'content-length': String(totalBytes) } : { 'transfer-encoding': 'chunked' }),
        },
      },
      (res) => {
        answered = true;
        let body = '';
        const done = (): void => {
          resolve({ status: res.statusCode ?? 0, sentBytes: sent, body });
          req.destroy();
        };
        res.setEncoding('utf8').on('data', (d: string) => (body += d));
        res.once('end', done).once('close', done);
      },
    );
    // The server answers and closes the connection mid-upload: the client's writes then fail, and the
    // reset can even discard the answer before it is read. Either way the body was not read in full.
    req.on('error', (error) => {
      if (answered) return;
      if (sent === 0) return reject(error);
      resolve({ status: 0, sentBytes: sent, body: `connection closed by the server (${(error as Error).message})` });
    });
    const pump = (): void => {
      while (sent < totalBytes && !answered) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

async function bodyLimits(): Promise<void> {
  const mb = 1024 * 1024;
  // [name, path, size, announced in Content-Length, at most this much may go out before the refusal]
  const cases: Array<[string, string, number, boolean, number]> = [
    ['login body of 1 MB', '/api/auth/login', mb, true, mb],
    ['login body of 100 MB, streamed', '/api/auth/login', 100 * mb, false, 20 * mb],
    ['API body of 20 MB', '/api/plans', 20 * mb, true, 10 * mb],
  ];
  for (const [name, path, size, announced, maxSent] of cases) {
    const reply = await sendBody(path, size, announced);
    check(
      name,
      (reply.status === 413 || reply.status === 0) && reply.sentBytes <= maxSent,
      `${reply.status ? `answered ${reply.status} ${reply.body.slice(0, 100)}` : reply.body} after ${Math.round(reply.sentBytes / 1024)} KB were sent`,
    );
  }
}

async function loginCsrf(): Promise<void> {
  const cases: Array<[string, Record<string, string>, string]> = [
    ['text/plain body', { 'content-type': 'text/plain' }, loginBody(password)],
    [
      'form body',
      { 'content-type': 'application/x-www-form-urlencoded' },
      `email=${encodeURIComponent(email)}&password=${encodeURIComponent(password)}`,
    ],
    ['JSON from another origin', { ...json, origin: 'https://attacker.example' }, loginBody(password)],
    ['JSON marked cross-site', { ...json, 'sec-fetch-site': 'cross-site' }, loginBody(password)],
  ];
  for (const [name, head, body] of cases) {
    const reply = await call('POST', '/api/auth/login', { body, headers: head });
    const refused = reply.status === 403 || reply.status === 415;
    check(`login CSRF: ${name}`, refused && !reply.headers.get('set-cookie'), `answered ${reply.status}`);
  }
}

async function oauthState(): Promise<void> {
  const a = await signIn();
  const b = await signIn();
  if (!a || !b) return check('OAuth state bound to the session', false, 'could not sign in');
  const started = await call('POST', '/api/connections/pos', {
    body: JSON.stringify({ system: 'lightspeed-x' }),
    headers: { ...json, cookie: a.cookie, 'x-csrf-token': a.csrf },
  });
  const state =
    started.status === 201
      ? new URL((JSON.parse(started.text) as { authorizeUrl: string }).authorizeUrl).searchParams.get('state')
      : null;
  if (!state)
    return check(
      'OAuth state bound to the session',
      false,
      `could not start a POS link (${started.status} ${started.text.slice(0, 200)})`,
    );
  const finish = async (cookie: string): Promise<string> => {
    const reply = await call(
      'GET',
      `/api/connections/oauth/callback?state=${encodeURIComponent(state)}&code=not-a-real-code`,
      { headers: { cookie } },
    );
    return decodeURIComponent(reply.headers.get('location') ?? `${reply.status}`);
  };
  const other = await finish(b.cookie);
  const own = await finish(a.cookie);
  const stateRefused = (where: string): boolean =>
    /linking attempt is unknown|already used|not yours|another session/i.test(where);
  check(
    'OAuth state bound to the session',
    stateRefused(other) && !stateRefused(own),
    `another session of the same user: ${other}; the session that started it: ${own}`,
  );
}

async function constantTime(): Promise<void> {
  const time = async (who: string): Promise<number> => {
    const started = performance.now();
    await call('POST', '/api/auth/login', { body: loginBody('not-the-password-at-all', who), headers: json });
    return performance.now() - started;
  };
  const median = (xs: number[]): number => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? 0;
  const known: number[] = [];
  const unknown: number[] = [];
  for (let i = 0; i < 3; i++) {
    known.push(await time(email));
    unknown.push(await time(`nobody-${i}-${Date.now()}@unknown.example`));
  }
  const k = median(known);
  const u = median(unknown);
  check(
    'login time for an unknown email',
    u >= k * 0.5,
    `median ${u.toFixed(1)} ms (unknown email) vs ${k.toFixed(1)} ms (known email, wrong password)`,
  );
}

async function throttling(): Promise<void> {
  let throttledAt = 0;
  let retryAfter: string | null = null;
  for (let i = 1; i <= 30 && throttledAt === 0; i++) {
    const reply = await call('POST', '/api/auth/login', { body: loginBody(`wrong-password-${i}`), headers: json });
    if (reply.status === 429) {
      throttledAt = i;
      retryAfter = reply.headers.get('retry-after');
    }
  }
  const right = await call('POST', '/api/auth/login', { body: loginBody(password), headers: json });
  check(
    'login throttling per account',
    throttledAt > 0 && throttledAt <= 10 && retryAfter !== null && right.status === 429,
    `429 after ${throttledAt || 'no'} wrong passwords (Retry-After ${retryAfter}); then the right password: ${right.status} ${right.text.slice(0, 140)}`,
  );
  let addressAt = 0;
  let message = '';
  for (let i = 1; i <= 60 && addressAt === 0; i++) {
    const reply = await call('POST', '/api/auth/login', {
      body: loginBody('wrong-password', `guess-${i}-${Date.now()}@unknown.example`),
      headers: json,
    });
    if (reply.status === 429) {
      addressAt = i;
      message = reply.text;
    }
  }
  check(
    'login throttling per address',
    addressAt > 0 && addressAt <= 30,
    `429 after ${addressAt || 'no'} guesses at other accounts ${message.slice(0, 140)}`,
  );
}

try {
  const ready = await call('GET', '/health');
  if (ready.status !== 200) throw new Error(`${base}/health answered ${ready.status}`);
} catch (error) {
  console.error(`Cannot reach Tradeloop at ${base}: ${(error as Error).message}`);
  process.exit(2);
}
for (const run of [headers, bodyLimits, loginCsrf, oauthState, constantTime, throttling]) {
  try {
    await run();
  } catch (error) {
    check(run.name, false, `the check itself failed: ${(error as Error).message}`);
  }
}
const failed = results.filter((r) => !r.ok).length;
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
