import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

/**
 * The frame of every simulator's back-office page: plain server-rendered HTML a person can read during a
 * demo. Each simulator fills it with its own tables.
 */
export function backOfficePage(options: {
  system: string;
  title: string;
  nav: Array<{ href: string; label: string }>;
  body: HtmlEscapedString | Promise<HtmlEscapedString>;
}): HtmlEscapedString | Promise<HtmlEscapedString> {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${options.title} · ${options.system} simulator</title>
        <style>
          ${raw(backOfficeCss)}
        </style>
      </head>
      <body>
        <header>
          <strong>${options.system}</strong> <span class="sim">simulator back office</span>
          <nav>${options.nav.map((n) => html`<a href="${n.href}">${n.label}</a>`)}</nav>
        </header>
        <main>
          <h1>${options.title}</h1>
          ${options.body}
        </main>
      </body>
    </html>`;
}

/** A table from rows; cells are escaped unless already HTML. */
export function table(
  headers: string[],
  rows: Array<Array<unknown>>,
  emptyText = 'Nothing here yet.',
): HtmlEscapedString | Promise<HtmlEscapedString> {
  if (rows.length === 0) return html`<p class="empty">${emptyText}</p>`;
  return html`<table>
    <thead>
      <tr>
        ${headers.map((h) => html`<th>${h}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (row) =>
          html`<tr>
            ${row.map((cell) => html`<td>${cell as string}</td>`)}
          </tr>`,
      )}
    </tbody>
  </table>`;
}

export function tag(
  text: string,
  tone: 'info' | 'ok' | 'warn' | 'muted' = 'info',
): HtmlEscapedString | Promise<HtmlEscapedString> {
  return html`<span class="tag ${tone}">${text}</span>`;
}

const backOfficeCss = `
  body { font-family: system-ui, sans-serif; margin: 0; color: #1d2433; background: #f6f7f9; }
  header { display: flex; gap: 1rem; align-items: center; padding: .75rem 1.25rem; background: #1d2433; color: #fff; }
  header .sim { opacity: .7; font-size: .85rem; }
  header nav { display: flex; gap: 1rem; margin-left: auto; }
  header a { color: #cfe0ff; text-decoration: none; }
  main { padding: 1rem 1.25rem; }
  h1 { font-size: 1.3rem; margin: .25rem 0 1rem; }
  h2 { font-size: 1.05rem; margin: 1.25rem 0 .5rem; }
  table { border-collapse: collapse; width: 100%; background: #fff; font-size: .85rem; margin-bottom: 1rem; }
  th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid #e3e6eb; vertical-align: top; }
  th { background: #eef1f5; }
  .tag { display: inline-block; white-space: nowrap; padding: .05rem .45rem; border-radius: .6rem; font-size: .75rem; background: #e1ecff; color: #1a4fb0; }
  .tag.ok { background: #dff5e5; color: #17663a; } .tag.warn { background: #fff0d6; color: #8a5300; } .tag.muted { background: #eceef1; color: #555; }
  .empty { color: #666; font-style: italic; }
  td small { color: #555; } td code { white-space: nowrap; } td .break { word-break: break-all; }
  form.inline { display: inline; }
  button { font: inherit; padding: .2rem .6rem; }
`;
