// The gemv core each GEMV generator builds, from that generator's parameters: for the plans, golden
// models and mutation tables they all share (testbenches/plans/gemv.ts).
import type { GemvParams } from '../gemv/gemv.ts';
import { bitserialGemvCore, type BitserialGemvParams } from './bitserial-gemv.ts';
import { lutGemvCore, type LutGemvParams } from './lut-gemv.ts';

const CORES: Record<string, (params: Record<string, unknown>) => GemvParams> = {
  gemv: (params) => params as unknown as GemvParams,
  lut_gemv: (params) => lutGemvCore(params as unknown as LutGemvParams),
  bitserial_gemv: (params) => bitserialGemvCore(params as unknown as BitserialGemvParams),
};

/** The gemv core of a GEMV generator's unit; undefined for a generator of another kind. */
export function gemvCoreOf(generator: string, params: Record<string, unknown>): GemvParams | undefined {
  return CORES[generator]?.(params);
}
