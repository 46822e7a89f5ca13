import type { SynthTarget } from './types.ts';

/**
 * The Yosys synthesis command for each target. The design is flattened, so stat counts every cell
 * once; xc7 leaves out I/O and clock buffers (-noiopad -noclkbuf): a unit is measured as a block inside a design.
 */
export function synthCommand(target: SynthTarget, top: string): string {
  switch (target) {
    case 'generic':
      return `synth -flatten -top ${top}`;
    case 'ice40':
      return `synth_ice40 -top ${top}`;
    case 'ice40-dsp':
      return `synth_ice40 -dsp -top ${top}`;
    case 'ecp5':
      return `synth_ecp5 -top ${top}`;
    case 'xc7':
      return `synth_xilinx -family xc7 -flatten -noiopad -noclkbuf -top ${top}`;
    case 'xc7-nodsp':
      return `synth_xilinx -family xc7 -flatten -noiopad -noclkbuf -nodsp -top ${top}`;
  }
}
