import type { AppContext } from './app-context.ts';
import { createOrganizationWithUser } from './http/auth.ts';
import { users } from './store/repos/index.ts';
import { startDemoSimulators, type RunningSimulator } from './simulators/index.ts';

export const demoUser = { email: 'demo@tradeloop.test', password: 'tradeloop-demo', name: 'Dana (demo buyer)', organization: 'Lakeside Goods Co. (demo)' };

export interface DemoRuntime {
  tenantId: string;
  simulators: RunningSimulator[];
  printWelcome(publicUrl: string): void;
  close(): Promise<void>;
}

/**
 * Demo mode: a demo organization and user (created once, kept across restarts), so a person can sign in
 * straight away and see the product work end to end.
 */
export async function seedDemo(ctx: AppContext): Promise<DemoRuntime> {
  const existing = await users.findByEmail(ctx.store.db, demoUser.email);
  const tenantId = existing
    ? existing.tenantId
    : (await createOrganizationWithUser(ctx, { organization: demoUser.organization, email: demoUser.email, name: demoUser.name, password: demoUser.password })).tenantId;
  const simulators = await startDemoSimulators(ctx.config.simulatorBasePort, ctx.config.dataDir);
  return {
    tenantId,
    simulators: simulators.simulators,
    printWelcome(publicUrl) {
      const lines = [
        '',
        '  Tradeloop demo is running.',
        `  Open ${publicUrl} and sign in as ${demoUser.email} / ${demoUser.password}`,
        '',
        '  Simulators (back office pages show what each system holds):',
        ...simulators.simulators.map((s) => `    ${s.system.padEnd(13)} ${s.url}/backoffice`),
        '',
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    },
    close: () => simulators.close(),
  };
}
