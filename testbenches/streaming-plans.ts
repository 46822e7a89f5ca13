import { verificationOf } from './registry.ts';
import type { StreamingPlan } from './streaming-plan.ts';

/** The job-level plan of a streaming generator, or undefined for a generator checked vector by vector. */
export function streamingPlanFor(generator: string): StreamingPlan | undefined {
  const verified = verificationOf(generator);
  return verified !== undefined && 'streaming' in verified ? verified.streaming : undefined;
}
