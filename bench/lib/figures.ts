// Shared by the benches: a measured figure is printed as one `FIGURE {json}` line, which bench/run.ts collects into
// its table of figure / target / pass. BENCH_BROKEN_TARGET=<id> (or =1 for every figure) judges that figure against
// an impossible target, so the run must exit non-zero: a check that the table's verdict reaches the exit code.

export interface Figure {
  /** The row of bench/run.ts's table this figure fills (`plan-10k`, `r-drips`…). */
  id: string;
  /** The measured value as printed (`142 ms`, `1,712 drips (0.49× naive)`). */
  figure: string;
  target: string;
  pass: boolean;
}

export const FIGURE_PREFIX = 'FIGURE ';

export function figure(f: Figure): void {
  const broken = process.env['BENCH_BROKEN_TARGET'];
  const out =
    broken === '1' || broken === f.id
      ? { ...f, target: `${f.target} — broken on purpose (BENCH_BROKEN_TARGET)`, pass: false }
      : f;
  console.log(`${FIGURE_PREFIX}${JSON.stringify(out)}`);
}
