import { writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { AppError } from '../core/errors.ts';
import { forecastCsv } from '../core/forecast.ts';
import { brandForecast, brandOf } from '../flows/forecast.ts';
import { connections } from '../store/repos/index.ts';
import { resolveTenant, withContext } from './context.ts';
import { orgOption, text, uuid } from './options.ts';

interface ForecastOptions {
  pos?: string;
  csv?: string;
  json?: boolean;
  org?: string;
}

/**
 * `tradeloop forecast <brand>`: the brand's pre-flight forecast and data-quality report (GET
 * /api/brands/:id/forecast), by brand name or id; `--csv file` writes one row per problem for the brand.
 */
export function registerForecastCommand(program: Command): void {
  program
    .command('forecast')
    .description("A brand's pre-flight forecast: its whole catalog against your POS catalog, and what to fix")
    .argument('<brand>', 'the brand, by name or id (as GET /api/brands lists them)', text())
    .addOption(
      new Option('--pos <connection-id>', 'the POS connection to compare with (default: the first)').argParser(uuid),
    )
    .addOption(
      new Option('--csv <file>', 'also write the data-quality report, one row per problem').argParser(text(1000)),
    )
    .addOption(orgOption())
    .option('--json', 'print JSON, as GET /api/brands/:id/forecast answers')
    .action(async (brand: string, options: ForecastOptions) => {
      await withContext(async (ctx) => {
        const tenantId = await resolveTenant(ctx, options.org);
        const brands = await connections.list(ctx.store.db, tenantId, { system: 'nuorder' });
        const wanted = brand.trim().toLowerCase();
        const found = brands.find((c) => c.id === brand || brandOf(c).name.toLowerCase() === wanted);
        if (!found) {
          const known = brands.map((c) => `${brandOf(c).name} (${c.id})`).join(', ') || 'none linked';
          throw new AppError('NOT_FOUND', `No brand "${brand}"; the brands are: ${known}`);
        }
        const f = await brandForecast(ctx, tenantId, found.id, options.pos ? { posConnectionId: options.pos } : {});
        if (options.csv) writeFileSync(options.csv, forecastCsv(f.brand.name, f.problems));
        if (options.json) {
          console.log(JSON.stringify({ ...f, generatedAt: new Date(f.generatedAt).toISOString() }, null, 2));
          return;
        }
        const c = f.counts;
        console.log(`${f.brand.name} against ${f.pos.name} (${f.currency})`);
        console.log(`  ${c.styles} styles, ${c.products} style/colors, ${c.sizes} sizes`);
        console.log(
          `  ${c.matched} sizes match an item you sell, ${c.newItems} would be new (${c.newProducts} products)`,
        );
        console.log(`  ${c.needsReview} need review${reasons(c.reviewReasons)}`);
        if (c.splitStyles > 0)
          console.log(`  ${c.splitStyles} styles are over the POS's product shape and would be split`);
        console.log(
          `  ${f.problems.length} problems to tell the brand${options.csv ? `, written to ${options.csv}` : ''}`,
        );
        console.log(`  It took ${f.calls.nuorder} NuORDER call(s) and ${f.calls.pos} POS call(s).`);
      });
    });
}

function reasons(byReason: Record<string, number>): string {
  const parts = Object.entries(byReason).map(([reason, n]) => `${n} ${reason.replaceAll('_', ' ')}`);
  return parts.length === 0 ? '' : `: ${parts.join(', ')}`;
}
