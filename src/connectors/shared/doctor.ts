import type { DoctorCheck } from '../../core/ports/doctor.ts';
import { RemoteContractBroken, RemoteError } from './errors.ts';

export interface Probe {
  call: string;
  purpose: string;
  /** Makes the call through the connector's client (its schema validates the reply); resolves when it fits. */
  run(): Promise<unknown>;
  /** Returned instead of running, e.g. "no order to read yet". */
  skip?: () => Promise<string | undefined>;
}

/**
 * Runs probes one after another (doctor is not in a hurry, and the rate budget is shared with real work) and
 * turns each outcome into a check: a reply that failed its schema lists every field that failed.
 */
export async function runProbes(probes: readonly Probe[], now: () => number = Date.now): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  for (const probe of probes) {
    const started = now();
    const base = { call: probe.call, purpose: probe.purpose };
    try {
      const reason = await probe.skip?.();
      if (reason) {
        checks.push({ ...base, outcome: 'skipped', fields: [], detail: reason, ms: now() - started });
        continue;
      }
      await probe.run();
      checks.push({ ...base, outcome: 'ok', fields: [], ms: now() - started });
    } catch (error) {
      if (error instanceof RemoteContractBroken) {
        checks.push({
          ...base,
          outcome: 'mismatch',
          fields: error.issues.map((i) => ({ path: i.fieldPath, problem: i.problem })),
          ms: now() - started,
        });
      } else {
        const detail = error instanceof RemoteError ? `${error.code}: ${error.message}` : 'the call failed';
        checks.push({ ...base, outcome: 'error', fields: [], detail, ms: now() - started });
      }
    }
  }
  return checks;
}
