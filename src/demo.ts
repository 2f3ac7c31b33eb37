import type { AppContext } from './app-context.ts';
import type { Config, Providers } from './config.ts';
import { createOrganizationWithUser } from './http/auth.ts';
import { users } from './store/repos/index.ts';
import { startDemoSimulators, type RunningSimulator } from './simulators/index.ts';
import { buildScenario, scenarioOptions } from './simulators/shared/scenario.ts';
import {
  defaultAccountId as netsuiteAccountId,
  defaultCredentials as netsuiteCredentials,
} from './simulators/netsuite/index.ts';

export const demoUser = {
  email: 'demo@tradeloop.test',
  password: 'tradeloop-demo',
  name: 'Dana (demo buyer)',
  organization: 'Lakeside Goods Co. (demo)',
};

/**
 * The credentials the simulators accept out of the box (see docs/simulators/*.md). They are the
 * simulators' own published test values, never real ones.
 */
const simulatorApps = {
  lightspeedX: { clientId: 'tradeloop-dev', clientSecret: 'tradeloop-dev-secret' },
  lightspeedR: { clientId: 'tradeloop-sim-client', clientSecret: 'tradeloop-sim-secret' },
  nuorder: { consumerKey: 'tl-demo-consumer-key', consumerSecret: 'tl-demo-consumer-secret' },
};

export interface DemoSimulators {
  simulators: RunningSimulator[];
  /** Points every provider at its simulator. */
  providers: Providers;
  /** What the web app may pre-fill when linking in demo mode. */
  hints: Record<string, unknown>;
  close(): Promise<void>;
}

/** Demo mode, part 1: the four simulators, seeded with the `demo` scenario (or restored from their snapshots). */
export async function startDemo(config: Config): Promise<DemoSimulators> {
  const running = await startDemoSimulators(config.simulatorBasePort, config.dataDir);
  const url = (system: string): string => running.simulators.find((s) => s.system === system)?.url ?? '';
  return {
    simulators: running.simulators,
    providers: {
      nuorder: { baseUrl: url('nuorder') },
      lightspeedX: { baseUrl: url('lightspeed-x'), ...simulatorApps.lightspeedX },
      lightspeedR: { baseUrl: url('lightspeed-r'), ...simulatorApps.lightspeedR },
      netsuite: { baseUrl: url('netsuite') },
    },
    hints: {
      nuorder: {
        ...simulatorApps.nuorder,
        brands: ['Northwind Outfitters', 'Alder & Pine', 'Saltmarsh Supply'],
        // The demo store among the retailers the brands sell to: a demo link imports its orders right away.
        retailerId: buildScenario(scenarioOptions('demo')).retailer.id,
      },
      // The NetSuite simulator's own token-based credentials: the demo's link form is filled in with them.
      netsuite: { accountId: netsuiteAccountId, ...netsuiteCredentials },
      simulators: Object.fromEntries(running.simulators.map((s) => [s.system, `${s.url}/backoffice`])),
    },
    close: running.close,
  };
}

/** Demo mode, part 2: a demo organization and user (created once, kept across restarts). */
export async function seedDemoUser(ctx: AppContext): Promise<string> {
  const existing = await users.findByEmail(ctx.store.db, demoUser.email);
  if (existing) return existing.tenantId;
  const created = await createOrganizationWithUser(ctx, {
    organization: demoUser.organization,
    email: demoUser.email,
    name: demoUser.name,
    password: demoUser.password,
  });
  return created.tenantId;
}

export function printDemoWelcome(publicUrl: string, demo: DemoSimulators): void {
  const lines = [
    '',
    '  Tradeloop demo is running.',
    `  Open ${publicUrl} and sign in as ${demoUser.email} / ${demoUser.password}`,
    '',
    '  Simulators (back office pages show what each system holds):',
    ...demo.simulators.map((s) => `    ${s.system.padEnd(13)} ${s.url}/backoffice`),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
