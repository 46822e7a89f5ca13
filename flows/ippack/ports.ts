import { isControlPort, type Module, type Port, type Timing } from '../../generators/hdl/ir.ts';

/** One row of a README's port table. */
export interface PortRow {
  name: string;
  direction: 'input' | 'output';
  width: number;
  /** `UInt(8)` / `SInt(20)`. */
  type: string;
  /** How the bits are read: two's complement, unsigned, active high. */
  encoding: string;
  doc: string;
  control: boolean;
}

const CONTROL_DOCS: Record<string, string> = {
  clk: 'clock; every register loads on its rising edge',
  rst: 'synchronous reset, active high: clears the valid pipeline and the registers that have a reset value',
  in_valid: 'the data inputs hold a vector this cycle',
  in_ready:
    'the unit takes the offered vector this cycle (in_valid && in_ready); low while the output stalls',
  out_valid: 'the data outputs hold a result this cycle',
  out_ready: 'the sink takes the result this cycle; low with out_valid high stalls every stage',
};

/** The handshake ports of a unit with an output skid buffer (ready 'skid'). */
const SKID_CONTROL_DOCS: Record<string, string> = {
  in_ready:
    'the unit takes the offered vector this cycle (in_valid && in_ready); a register, low while a result waits in the output skid buffer',
  out_ready:
    'the sink takes the result this cycle; a result left with out_ready low waits in the skid buffer, and the pipeline holds from the next cycle until it is taken',
};

export function portRows(module: Module): PortRow[] {
  const skid = module.timing.kind === 'pipelined' && module.timing.skid === true;
  return module.ports.map((p) => portRow(p, skid));
}

function portRow(p: Port, skid = false): PortRow {
  const control = isControlPort(p.name);
  const { width, signed } = p.type;
  let encoding: string;
  if (control) encoding = p.name === 'clk' ? 'rising edge' : 'active high';
  else if (width === 1 && !signed) encoding = 'active high';
  else encoding = signed ? "two's complement" : 'unsigned binary';
  return {
    name: p.name,
    direction: p.direction,
    width,
    type: `${signed ? 'SInt' : 'UInt'}(${width})`,
    encoding,
    doc:
      (control ? ((skid ? SKID_CONTROL_DOCS[p.name] : undefined) ?? CONTROL_DOCS[p.name]) : undefined) ??
      p.doc ??
      '',
    control,
  };
}

/** Latency, throughput and handshake of a module, as sentences for the README. */
export function timingText(timing: Timing): { latency: string; throughput: string; handshake: string } {
  if (timing.kind === 'comb') {
    return {
      latency: '0 cycles: combinational, the outputs follow the inputs within the same cycle (no clock).',
      throughput:
        'One vector per evaluation; in a clocked design, one per clock cycle when the path fits the period.',
      handshake: 'None: plain input and output ports.',
    };
  }
  if (timing.kind === 'sequential') {
    return {
      latency:
        'Data dependent: see the generator README for the cycles from start to the first and last result.',
      throughput:
        'Set by the streams: every stream moves one beat per cycle when valid and ready are both high.',
      handshake:
        'AXI4-Stream style valid/ready with tlast on every stream, and start/busy/done/error control; no in_valid/out_valid.',
    };
  }
  const l = timing.latency;
  const cycles = `${l} clock cycle${l === 1 ? '' : 's'}`;
  return {
    latency: `${cycles}: the result of a vector accepted at clock edge t is on the outputs, with out_valid high, after edge t+${l}.`,
    throughput: timing.skid
      ? 'One vector per clock cycle (initiation interval 1) while out_ready is high; a result the sink leaves costs one cycle: the pipeline holds from the next cycle until it is taken.'
      : timing.ready
        ? 'One vector per clock cycle (initiation interval 1) while out_ready is high; a cycle with out_valid high and out_ready low stalls the whole pipeline for that cycle.'
        : 'One vector per clock cycle (initiation interval 1); idle cycles (in_valid low) pass through as bubbles.',
    handshake: timing.skid
      ? 'valid/ready on both sides: a vector is taken when in_valid && in_ready, a result when out_valid && out_ready. in_ready is a register, high while the one-entry output skid buffer is empty: a result the sink leaves waits in the buffer, and the pipeline holds from the next cycle until it is taken (out_ready reaches no pipeline enable).'
      : timing.ready
        ? 'valid/ready on both sides: a vector is taken when in_valid && in_ready, a result when out_valid && out_ready. in_ready = !out_valid || out_ready, so a stall freezes every stage and the offered vector must be held.'
        : 'valid only: every cycle with in_valid high is taken; out_valid marks the results. There is no backpressure, so the sink must take every result.',
  };
}
