import type { Histogram } from 'prom-client';

/** How many observations a histogram (without labels) has had, and their sum. */
export async function histogramTotals(h: Histogram): Promise<{ count: number; sum: number }> {
  const values = (await h.get()).values;
  const total = (suffix: string) => values.find((x) => x.metricName?.endsWith(suffix))?.value ?? 0;
  return { count: total('_count'), sum: total('_sum') };
}
