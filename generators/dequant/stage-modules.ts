// Lanes as sub-modules: each step of a lane (decode, scale, round; a table lookup) is one combinational
// module, instantiated once per lane with the word's shared values as extra inputs. The top level keeps
// the shared logic, the instances and the pipeline registers between them, so it stays readable (and
// drawable), and every lane is the same Verilog module.

import type { NormalizedFloat, RawFloat } from '../arith/raw-float.ts';
import type { Module } from '../hdl/ir.ts';
import { ModuleBuilder } from '../hdl/module.ts';
import type { Signal } from '../hdl/signal.ts';

export type Fields = Record<string, Signal>;

/**
 * A combinational module `name` whose inputs are the fields of `sample` and of `shared` and whose
 * outputs are what `build` returns; then one instance per item. Returns each instance's outputs.
 * With `pipelined`, `build` may place stage cuts in the module (`stage()` of its inputs' builder):
 * the outputs then come that many stages later, and the caller places as many cuts after the call.
 * `enable` builds such a module with its `advance` input, for a parent with valid/ready backpressure.
 */
export function laneStage(
  m: ModuleBuilder,
  name: string,
  items: readonly Fields[],
  shared: Fields,
  build: (inputs: Fields) => Fields,
  pipelined?: { enable: boolean },
): Fields[] {
  const module = stageModule(`${m.name}_${name}`, { ...items[0]!, ...shared }, build, pipelined);
  return items.map((item, i) => {
    const outputs = m.instance(module, `${name}${i}`, { ...item, ...shared });
    // Named after the instance, so that pipeline registers carrying them read e.g. `scale0_sig_s2`.
    return Object.fromEntries(
      Object.entries(outputs).map(([port, s]) => {
        const field = port.slice(OUT.length);
        return [field, s.named(`${name}${i}_${field}`)];
      }),
    );
  });
}

/** Output ports are the fields' names after this prefix (an output may carry an input's name). */
const OUT = 'o_';

function stageModule(
  name: string,
  ports: Fields,
  build: (inputs: Fields) => Fields,
  pipelined?: { enable: boolean },
): Module {
  const b = new ModuleBuilder(
    name,
    { generator: 'dequant', params: { stage: name } },
    pipelined?.enable ? { enable: true } : {},
  );
  const inputs = Object.fromEntries(Object.entries(ports).map(([k, s]) => [k, b.input(k, s.type)]));
  for (const [k, s] of Object.entries(build(inputs))) b.output(`${OUT}${k}`, s);
  return b.build();
}

/**
 * A float's fields under a prefix. A one-bit significand (1 whenever the value is finite and nonzero)
 * is left out: the reader puts a constant back, and no port goes unused.
 */
export function floatFields(prefix: string, v: NormalizedFloat | RawFloat): Fields {
  return {
    [`${prefix}sign`]: v.sign,
    [`${prefix}exp`]: v.exp,
    ...(v.sig.width === 1 ? {} : { [`${prefix}sig`]: v.sig }),
    [`${prefix}zero`]: v.isZero,
    [`${prefix}inf`]: v.isInf,
    [`${prefix}nan`]: v.isNaN,
  };
}

export function fromFields(prefix: string, f: Fields): NormalizedFloat {
  const sign = f[`${prefix}sign`]!;
  return {
    sign,
    exp: f[`${prefix}exp`]!,
    sig: f[`${prefix}sig`] ?? sign.builder.constant(1, { width: 1, signed: false }),
    isZero: f[`${prefix}zero`]!,
    isInf: f[`${prefix}inf`]!,
    isNaN: f[`${prefix}nan`]!,
  };
}
