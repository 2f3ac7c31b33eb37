import { invalidQuery } from './suiteql-syntax.ts';

/** Oracle date formats as SuiteQL's TO_CHAR / TO_DATE / TO_TIMESTAMP take them. Times are UTC [I]. */

const formatToken = /YYYY|MM|DD|HH24|HH12|HH|MI|SS|AM|PM|"[^"]*"|[\s\S]/gi;

export function formatDate(ms: number, fmt: string): string {
  const d = new Date(ms);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return (fmt.match(formatToken) ?? [])
    .map((tok) => {
      switch (tok.toUpperCase()) {
        case 'YYYY':
          return String(d.getUTCFullYear());
        case 'MM':
          return pad(d.getUTCMonth() + 1);
        case 'DD':
          return pad(d.getUTCDate());
        case 'HH24':
          return pad(d.getUTCHours());
        case 'HH':
        case 'HH12':
          return pad(d.getUTCHours() % 12 || 12);
        case 'MI':
          return pad(d.getUTCMinutes());
        case 'SS':
          return pad(d.getUTCSeconds());
        case 'AM':
        case 'PM':
          return d.getUTCHours() < 12 ? 'AM' : 'PM';
        default:
          return tok.startsWith('"') ? tok.slice(1, -1) : tok;
      }
    })
    .join('');
}

export function parseDate(text: string, fmt?: string): number {
  if (fmt) {
    let re = '^';
    const order: string[] = [];
    for (const tok of fmt.match(formatToken) ?? []) {
      const up = tok.toUpperCase();
      if (up === 'YYYY') re += '(\\d{4})';
      else if (['MM', 'DD', 'HH24', 'HH', 'HH12', 'MI', 'SS'].includes(up)) re += '(\\d{1,2})';
      else if (up === 'AM' || up === 'PM') re += '(AM|PM|am|pm)';
      else re += (tok.startsWith('"') ? tok.slice(1, -1) : tok).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      if (/^(YYYY|MM|DD|HH24|HH|HH12|MI|SS|AM|PM)$/.test(up)) order.push(up);
    }
    const m = new RegExp(`${re}$`).exec(text.trim());
    if (!m) throw invalidQuery(`The date '${text}' does not match the format '${fmt}'.`);
    const parts: Record<string, string> = {};
    order.forEach((k, i) => (parts[k] = m[i + 1] ?? ''));
    let hours = Number(parts.HH24 ?? parts.HH ?? parts.HH12 ?? 0);
    const meridiem = (parts.AM ?? parts.PM ?? '').toUpperCase();
    if (meridiem === 'PM' && hours < 12) hours += 12;
    if (meridiem === 'AM' && hours === 12) hours = 0;
    return Date.UTC(
      Number(parts.YYYY ?? 1970),
      Number(parts.MM ?? 1) - 1,
      Number(parts.DD ?? 1),
      hours,
      Number(parts.MI ?? 0),
      Number(parts.SS ?? 0),
    );
  }
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(am|pm)?)?$/i.exec(text.trim());
  if (us) {
    let h = Number(us[4] ?? 0);
    if (us[7]?.toLowerCase() === 'pm' && h < 12) h += 12;
    if (us[7]?.toLowerCase() === 'am' && h === 12) h = 0;
    return Date.UTC(Number(us[3]), Number(us[1]) - 1, Number(us[2]), h, Number(us[5] ?? 0), Number(us[6] ?? 0));
  }
  const iso = Date.parse(
    /[zZ]|[+-]\d{2}:?\d{2}$/.test(text) || text.length <= 10 ? text : `${text.replace(' ', 'T')}Z`,
  );
  if (Number.isNaN(iso)) throw invalidQuery(`Invalid date '${text}'.`);
  return iso;
}
