import { gemvStreamingPlan } from './gemv-conformance.ts';
import type { StreamingPlan } from './streaming-plan.ts';

// One entry per sequential (streaming) generator.
const plans: readonly StreamingPlan[] = [gemvStreamingPlan];

/** The job-level plan of a streaming generator, or undefined for a generator checked vector by vector. */
export function streamingPlanFor(generator: string): StreamingPlan | undefined {
  return plans.find((p) => p.generator === generator);
}
