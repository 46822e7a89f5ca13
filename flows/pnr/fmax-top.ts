import { isControlPort, type Module } from '../../generators/hdl/ir.ts';
import { renderTemplate } from '../../generators/emit/templates.ts';
import { BITSMITH_VERSION } from '../../generators/emit/version.ts';

/** Name of the generated wrapper module. */
export const FMAX_TOP = 'bitsmith_fmax_top';

const CONTROL_IN = ['rst', 'in_valid', 'out_ready', 'advance'];
const CONTROL_OUT = ['in_ready', 'out_valid'];

/**
 * Verilog of the Fmax wrapper: the unit with a flip-flop on every data and control port. Data bits
 * reach the unit through a serial-in shift chain and leave through registered outputs and a
 * parallel-load shift register, so the wrapper needs 4 pins plus one per control port (at most 10)
 * whatever the unit's width, and the extra logic on any path is at most one LUT between flip-flops.
 */
export function renderFmaxTop(module: Module): string {
  const present = (name: string) => module.ports.some((p) => p.name === name);
  const inputs = module.ports.filter((p) => p.direction === 'input' && !isControlPort(p.name));
  const outputs = module.ports.filter((p) => p.direction === 'output' && !isControlPort(p.name));
  if (inputs.length === 0 || outputs.length === 0) {
    throw new Error(`${module.name}: an Fmax wrapper needs at least one data input and one data output`);
  }
  const controlIn = CONTROL_IN.filter(present).map((name) => ({ name }));
  const controlOut = CONTROL_OUT.filter(present).map((name) => ({ name }));
  const clocked = present('clk');

  // in_q: the first input port in the top bits (as in the vector files), shifted in from bit 0.
  const inBits = inputs.reduce((n, p) => n + p.type.width, 0);
  const outBits = outputs.reduce((n, p) => n + p.type.width, 0);
  let top = inBits;
  const inputSlices = inputs.map((p) => {
    const lsb = top - p.type.width;
    top = lsb;
    return {
      port: p.name,
      net: p.type.width === 1 ? `in_q[${lsb}]` : `in_q[${lsb + p.type.width - 1}:${lsb}]`,
    };
  });

  const pins = [
    { decl: 'input  wire clk', doc: 'the one clock' },
    { decl: 'input  wire sin', doc: 'serial data in: shifts through every data input flip-flop' },
    { decl: 'input  wire load', doc: 'copy the output registers into the output shift register' },
    ...controlIn.map((c) => ({ decl: `input  wire ${c.name}_pin`, doc: `${c.name}, registered` })),
    { decl: 'output wire sout', doc: 'serial data out: the top bit of the output shift register' },
    ...controlOut.map((c) => ({ decl: `output wire ${c.name}_pin`, doc: `${c.name}, registered` })),
  ];
  const connections = [
    ...(clocked ? [{ port: 'clk', net: 'clk' }] : []),
    ...controlIn.map((c) => ({ port: c.name, net: `${c.name}_q` })),
    ...controlOut.map((c) => ({ port: c.name, net: `${c.name}_w` })),
    ...inputSlices,
    ...outputs.map((p) => ({ port: p.name, net: `${p.name}_w` })),
  ];
  return renderTemplate('pnr/fmax-top.v.hbs', {
    version: BITSMITH_VERSION,
    top: module.name,
    pinCount: pins.length,
    pins,
    inBits,
    outBits,
    inMsb: inBits - 1,
    outMsb: outBits - 1,
    inShift: inBits === 1 ? 'sin' : `{in_q[${inBits - 2}:0], sin}`,
    outShift: outBits === 1 ? "1'b0" : `{out_shift[${outBits - 2}:0], 1'b0}`,
    outConcat:
      outputs.length === 1 ? `${outputs[0]!.name}_w` : `{${outputs.map((p) => `${p.name}_w`).join(', ')}}`,
    outputs: outputs.map((p) => ({ name: p.name, msbIndex: p.type.width - 1 })),
    controlIn,
    controlOut,
    connections,
  });
}
