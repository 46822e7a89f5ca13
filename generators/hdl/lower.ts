import { HdlError } from './errors.ts';
import {
  constantNodes,
  type Instance,
  type Memory,
  type Module,
  type Node,
  type NodeKind,
  type Port,
  type Register,
  type RegisterRole,
} from './ir.ts';
import { UInt, type HdlType } from './types.ts';
import { combinationalInputs } from './port-paths.ts';
import { ValueNames, type NamingGraph } from './value-names.ts';

/**
 * Valid/ready backpressure: none (`false`), a stall that freezes every stage at once (`true`: the stages'
 * enable and in_ready are `!out_valid || out_ready`, a gate after the out_ready input), or a one-entry
 * output skid buffer (`'skid'`: the enable and in_ready are a register, high while the buffer is empty).
 */
export type Backpressure = boolean | 'skid';

/** A node while its module is being built (args and name still change). */
export interface DraftNode {
  id: number;
  kind: NodeKind;
  type: HdlType;
  args: number[];
  value?: bigint | undefined;
  hi?: number | undefined;
  lo?: number | undefined;
  amount?: number | undefined;
  port?: string | undefined;
  reg?: number | undefined;
  inst?: number | undefined;
  mem?: number | undefined;
  name?: string | undefined;
  stage: number;
}

export interface DraftRegister {
  name: string;
  type: HdlType;
  reset?: bigint | undefined;
  next?: number;
  when?: number;
  read: number;
  stage: number;
  /** The stage it loads in, when later than the one it is read in (`next(…, { fromLaterStage })`). */
  loadStage?: number;
}

/** A node with every field present, so that all nodes share one object shape (much faster in V8). */
export function draftNode(
  id: number,
  kind: NodeKind,
  type: HdlType,
  args: number[],
  stage: number,
  extra: Partial<DraftNode> = {},
): DraftNode {
  return {
    id,
    kind,
    type,
    args,
    value: extra.value,
    hi: extra.hi,
    lo: extra.lo,
    amount: extra.amount,
    port: extra.port,
    reg: extra.reg,
    inst: extra.inst,
    mem: extra.mem,
    name: extra.name,
    stage,
  };
}

export interface DraftModule {
  name: string;
  origin: Module['origin'];
  ports: Port[];
  nodes: DraftNode[];
  registers: DraftRegister[];
  instances: {
    name: string;
    module: Module;
    inputPorts: string[];
    outputs: Map<string, number>;
    /** The stage the inputs are taken in; the outputs come `latency` stages later. */
    inputStage: number;
    latency: number;
  }[];
  memories: Memory[];
  latency: number;
  ready: Backpressure;
  /** An `advance` input freezes every stage (the module sits inside a parent with backpressure). */
  enable: boolean;
  /** clk and rst only: no valid chain; registers load every cycle unless given a condition. */
  sequential: boolean;
  /** Some value is read before it is driven (`ModuleBuilder.wire`). */
  forwardWires?: boolean;
}

/** A register of the lowered module before renumbering. */
interface LoweredRegister {
  name: string;
  role: RegisterRole;
  type: HdlType;
  read: number;
  next: number;
  enable?: number;
  reset?: bigint;
}

/**
 * Turn stage cuts into hardware: every value used in a later stage than the one it was computed in
 * reaches it through one register per stage crossed (named `<value>_s<stage>`); a valid bit travels
 * beside the data; with backpressure, `advance` freezes every register while the output is stalled.
 */
export function lowerStages(draft: DraftModule): Module {
  const nodes: DraftNode[] = draft.nodes.map((n) => draftNode(n.id, n.kind, n.type, [...n.args], n.stage, n));
  // Designer registers keep their indexes; control and pipeline registers follow them.
  const registers: LoweredRegister[] = draft.registers.map((r) => ({
    name: r.name,
    role: 'state' as const,
    type: r.type,
    read: r.read,
    next: -1,
    ...(r.reset === undefined ? {} : { reset: r.reset }),
  }));
  const latency = draft.latency;
  if (draft.sequential) return lowerSequential(draft, nodes, registers);
  if (draft.memories.length > 0)
    throw new HdlError(`module '${draft.name}': memories need a sequential module (no stage cuts)`);
  const clocked =
    latency > 0 ||
    draft.registers.length > 0 ||
    draft.enable ||
    draft.instances.some((i) => i.module.timing.kind !== 'comb');
  if (draft.ready && draft.enable) {
    throw new HdlError(
      `module '${draft.name}': choose valid/ready backpressure ('ready') or an advance input ('enable'), not both`,
    );
  }
  if (draft.ready && !clocked) {
    throw new HdlError(`module '${draft.name}': valid/ready backpressure needs stage cuts or registers`);
  }

  const add = (
    kind: NodeKind,
    type: HdlType,
    args: number[],
    stage: number,
    extra: Partial<DraftNode> = {},
  ): number => {
    const id = nodes.length;
    nodes.push(draftNode(id, kind, type, args, stage, extra));
    return id;
  };
  const addRegister = (
    name: string,
    type: HdlType,
    stage: number,
    role: RegisterRole,
    reset?: bigint,
  ): number => {
    const read = add('reg', type, [], stage, { reg: registers.length, name });
    registers.push({ name, role, type, read, next: -1, ...(reset === undefined ? {} : { reset }) });
    return read;
  };

  // Constants (and logic of constants only) exist in every stage and are never registered.
  const constant = constantNodes(draft.nodes);
  const isConstant = (id: number): boolean => constant[id] ?? false;

  // Control: in_valid -> valid_s1 -> ... -> out_valid, and the stall signal.
  const controlPortsIn: Port[] = [];
  const controlPortsOut: Port[] = [];
  let advance: number | undefined;
  let skid = false;
  let skidOutValid: number | undefined;
  const valid: number[] = [];
  if (clocked) {
    controlPortsIn.push({ name: 'clk', direction: 'input', type: UInt(1), doc: 'clock, rising edge' });
    controlPortsIn.push({
      name: 'rst',
      direction: 'input',
      type: UInt(1),
      doc: 'synchronous reset, active high',
    });
    controlPortsIn.push({
      name: 'in_valid',
      direction: 'input',
      type: UInt(1),
      doc: 'the inputs hold a vector',
    });
    valid.push(add('input', UInt(1), [], 0, { port: 'in_valid', name: 'in_valid' }));
    for (let s = 1; s <= latency; s++) valid.push(addRegister(`valid_s${s}`, UInt(1), s, 'valid', 0n));
    const outValid = valid[latency]!;
    if (draft.enable) {
      advance = add('input', UInt(1), [], 0, { port: 'advance', name: 'advance' });
      controlPortsIn.push({
        name: 'advance',
        direction: 'input',
        type: UInt(1),
        doc: 'every stage moves this cycle; low holds the pipeline',
      });
    }
    if (draft.ready === 'skid') {
      // The skid buffer's registers come after the last stage: a stage of their own. `advance` is one of
      // them: high while the buffer is empty.
      skid = true;
      advance = addRegister('advance', UInt(1), latency + 1, 'valid', 1n);
      controlPortsIn.push({
        name: 'in_ready',
        direction: 'output',
        type: UInt(1),
        driver: advance,
        doc: 'the unit takes a vector this cycle (a register: the skid buffer is empty)',
      });
    } else if (draft.ready) {
      const outReady = add('input', UInt(1), [], latency, { port: 'out_ready', name: 'out_ready' });
      const notValid = add('not', UInt(1), [outValid], latency);
      advance = add('or', UInt(1), [notValid, outReady], latency, { name: 'advance' });
      controlPortsIn.push({
        name: 'in_ready',
        direction: 'output',
        type: UInt(1),
        driver: advance,
        doc: 'the unit takes a vector this cycle',
      });
    }
    if (skid) {
      // The outputs hold the skid buffer's result while it is full, else the last stage's. A result the
      // consumer leaves goes into the buffer (the stages still advance in that cycle) and the stages hold
      // from the next cycle on, until the consumer takes it: out_ready reaches the inputs of two registers
      // and nothing else. `skid_valid` is `advance`'s complement, kept apart so that the loop that updates
      // both reads a register with a few loads, not the one that enables every stage. The data path reads
      // only `advance`, which the untimed view takes as 1 (the buffer stays empty): that loop stays out
      // of it.
      const skidValid = addRegister('skid_valid', UInt(1), latency + 1, 'valid', 0n);
      skidOutValid = add('or', UInt(1), [skidValid, outValid], latency, { name: 'out_valid' });
      const outReady = add('input', UInt(1), [], latency, { port: 'out_ready', name: 'out_ready' });
      const notReady = add('not', UInt(1), [outReady], latency);
      const holds = add('and', UInt(1), [skidOutValid, notReady], latency, { name: 'stall' });
      registers[nodes[skidValid]!.reg!]!.next = holds;
      registers[nodes[advance!]!.reg!]!.next = add('not', UInt(1), [holds], latency);
    }
    controlPortsOut.push({
      name: 'out_valid',
      direction: 'output',
      type: UInt(1),
      driver: skidOutValid ?? outValid,
      doc: 'the outputs hold a result',
    });
    if (draft.ready) {
      controlPortsOut.push({
        name: 'out_ready',
        direction: 'input',
        type: UInt(1),
        doc: 'the consumer takes the result this cycle',
      });
    }
    for (let s = 1; s <= latency; s++) {
      const reg = registers[nodes[valid[s]!]!.reg!]!;
      reg.next = valid[s - 1]!;
      if (advance !== undefined) reg.enable = advance;
    }
  }

  const fires = new Map<number, number>();
  const fire = (stage: number): number => {
    if (advance === undefined) return valid[stage]!;
    let id = fires.get(stage);
    if (id === undefined) {
      id = add('and', UInt(1), [valid[stage]!, advance], stage, { name: `fire_s${stage}` });
      fires.set(stage, id);
    }
    return id;
  };

  // A designer register loaded on every valid vector holds, one stage later, exactly the value it loaded:
  // it doubles as that value's pipeline copy.
  const loadedBy = new Map<number, number>();
  for (const r of draft.registers) {
    if (r.when === undefined && !isConstant(r.next!) && nodes[r.next!]!.stage === r.stage)
      loadedBy.set(r.next!, r.read);
  }

  // Made on the first value carried across a stage: a module without stages needs no names.
  let valueNames: ValueNames | undefined;
  // A value carried across a stage is declared under a name in every stage: `<name>_s<stage>`.
  const stagedName = (id: number): string =>
    (nodes[id]!.name ??= (valueNames ??= new ValueNames(namingGraph(draft), takenNames(draft))).claim(id));
  const delays = new Map<string, number>();
  const delayed = (id: number, stage: number): number => {
    if (isConstant(id) || nodes[id]!.stage >= stage) return id;
    const key = `${id}@${stage}`;
    const known = delays.get(key);
    if (known !== undefined) return known;
    const previous = delayed(id, stage - 1);
    let result = loadedBy.get(previous);
    if (result === undefined || nodes[result]!.stage !== stage - 1) {
      result = addRegister(`${stagedName(id)}_s${stage}`, nodes[id]!.type, stage, 'pipeline');
      const reg = registers[registers.length - 1]!;
      reg.next = previous;
      if (advance !== undefined) reg.enable = advance;
    }
    delays.set(key, result);
    return result;
  };

  for (const n of draft.nodes) {
    const node = nodes[n.id]!;
    // An instance takes its inputs in its input stage, whatever stage its outputs come in.
    const stage = node.kind === 'instout' ? draft.instances[node.inst!]!.inputStage : node.stage;
    node.args = node.args.map((a) => {
      if (nodes[a]!.stage > stage && !isConstant(a)) {
        throw new HdlError(`'${node.name ?? node.kind}' in stage ${stage} uses a value from a later stage`);
      }
      return delayed(a, stage);
    });
  }
  // A pipelined instance's valid chain starts from the parent's in its input stage and moves with it.
  const one = (): number => add('const', UInt(1), [], 0, { value: 1n });
  const instancePorts = draft.instances.map((inst) => {
    const control: [string, number][] = [];
    if (inst.module.timing.kind === 'pipelined') {
      control.push(['in_valid', valid[inst.inputStage]!]);
      if (inst.module.ports.some((p) => p.name === 'advance')) control.push(['advance', advance ?? one()]);
    }
    for (const id of inst.outputs.values()) nodes[id]!.args.push(...control.map(([, driver]) => driver));
    return [...inst.inputPorts, ...control.map(([port]) => port)];
  });

  for (const r of draft.registers) {
    const stage = r.loadStage ?? r.stage;
    const next = delayed(r.next!, stage);
    let enable = fire(stage);
    if (r.when !== undefined)
      enable = add('and', UInt(1), [enable, delayed(r.when, stage)], stage, { name: `${r.name}_load` });
    const reg = registers[nodes[r.read]!.reg!]!;
    reg.next = next;
    reg.enable = enable;
  }
  const dataPorts = draft.ports.map((p) => {
    if (p.direction !== 'output' || p.driver === undefined) return p;
    const value = delayed(p.driver, latency);
    if (!skid || isConstant(p.driver)) return { ...p, driver: value };
    // The port now carries the choice between the two: the last stage's value gets a name of its own.
    const last = nodes[value]!;
    if (last.name === undefined || last.name === p.name) last.name = `last_${p.name}`;
    // The skid buffer loads the last stage's result on every cycle it is empty (the stages advance).
    const held = addRegister(`skid_${p.name}`, p.type, latency + 1, 'pipeline');
    const reg = registers[registers.length - 1]!;
    reg.next = value;
    reg.enable = advance;
    return { ...p, driver: add('mux', p.type, [advance!, value, held], latency) };
  });

  return finish(
    draft,
    nodes,
    registers,
    [...controlPortsIn, ...dataPorts, ...controlPortsOut],
    instanceInputs(draft, nodes, instancePorts),
    clocked
      ? {
          kind: 'pipelined',
          latency: draft.latency,
          ready: draft.ready !== false,
          ...(draft.ready === 'skid' ? { skid: true as const } : {}),
        }
      : { kind: 'comb' },
  );
}

/** A sequential module: clk and rst, and registers loaded when their condition holds (or always). */
function lowerSequential(draft: DraftModule, nodes: DraftNode[], registers: LoweredRegister[]): Module {
  if (draft.latency > 0 || draft.ready) {
    throw new HdlError(
      `module '${draft.name}': a sequential module has no stage cuts or pipeline handshake; use registers`,
    );
  }
  for (const r of draft.registers) {
    const reg = registers[nodes[r.read]!.reg!]!;
    reg.next = r.next!;
    if (r.when !== undefined) reg.enable = r.when;
  }
  const control: Port[] = [
    { name: 'clk', direction: 'input', type: UInt(1), doc: 'clock, rising edge' },
    { name: 'rst', direction: 'input', type: UInt(1), doc: 'synchronous reset, active high' },
  ];
  return finish(draft, nodes, registers, [...control, ...draft.ports], instanceInputs(draft, nodes), {
    kind: 'sequential',
  });
}

/** The draft's values and where they leave the logic, for naming the values the generator left unnamed. */
function namingGraph(draft: DraftModule): NamingGraph {
  const sinks: [number, string][] = [];
  for (const r of draft.registers) {
    if (r.next !== undefined) sinks.push([r.next, r.name]);
    if (r.when !== undefined) sinks.push([r.when, `${r.name}_load`]);
  }
  for (const p of draft.ports) if (p.driver !== undefined) sinks.push([p.driver, p.name]);
  for (const mem of draft.memories) {
    sinks.push([mem.write.data, `${mem.name}_wdata`], [mem.write.address, `${mem.name}_waddr`]);
    sinks.push([mem.write.enable, `${mem.name}_we`]);
  }
  return { nodes: draft.nodes, sinks, instances: draft.instances };
}

function takenNames(draft: DraftModule): Set<string> {
  return new Set([
    ...draft.nodes.flatMap((n) => n.name ?? []),
    ...draft.ports.map((p) => p.name),
    ...draft.instances.map((i) => i.name),
    ...draft.memories.map((m) => m.name),
  ]);
}

/** Each instance's input port -> driver, read from the args of its output nodes (`ports`: in arg order). */
function instanceInputs(
  draft: DraftModule,
  nodes: DraftNode[],
  ports: string[][] = draft.instances.map((i) => i.inputPorts),
): Map<string, number>[] {
  return draft.instances.map((inst, k) => {
    const first = nodes[[...inst.outputs.values()][0]!]!;
    return new Map(ports[k]!.map((port, i) => [port, first.args[i]!]));
  });
}

/** Sort nodes topologically, renumber them, check names, and freeze the module. */
function finish(
  draft: DraftModule,
  nodes: DraftNode[],
  registers: LoweredRegister[],
  ports: Port[],
  instanceInputs: Map<string, number>[],
  timing: Module['timing'],
): Module {
  // Keep only what reaches a port or a live register, so unused logic leaves no trace.
  const live = new Uint8Array(nodes.length);
  const mark = (id: number): void => {
    if (live[id]) return;
    live[id] = 1;
    for (const a of nodes[id]!.args) mark(a);
  };
  for (const p of ports) if (p.driver !== undefined) mark(p.driver);
  // A memory that some live logic reads keeps its write port alive.
  const memoryRead = new Uint8Array(draft.memories.length);
  for (let changed = true; changed;) {
    changed = false;
    for (const r of registers) {
      for (const id of live[r.read] ? [r.next, r.enable] : []) {
        if (id !== undefined && !live[id]) {
          mark(id);
          changed = true;
        }
      }
    }
    for (const n of nodes) {
      if (n.kind !== 'memrd' || !live[n.id] || memoryRead[n.mem!]) continue;
      memoryRead[n.mem!] = 1;
      const w = draft.memories[n.mem!]!.write;
      for (const id of [w.enable, w.address, w.data]) mark(id);
      changed = true;
    }
  }
  // Topological order that follows the order the generator wrote things in, so the emitted text reads the same way.
  // With forward wires, an instance output waits only for the inputs that reach it in the same cycle
  // (port-paths.ts), and its other inputs follow later: a wire may feed a block's registered output back
  // into the block.
  const order: number[] = [];
  const state = new Uint8Array(nodes.length);
  const path: number[] = [];
  // Visited once the path is empty: from inside it, a wire back into the block would look like a loop.
  const deferred: number[] = [];
  const visit = (id: number): void => {
    if (state[id] === 2) return;
    if (state[id] === 1)
      throw new HdlError(
        `module '${draft.name}': ${describeLoop(draft, nodes, path.slice(path.indexOf(id)))}`,
      );
    state[id] = 1;
    path.push(id);
    const n = nodes[id]!;
    const later =
      draft.forwardWires && n.kind === 'instout' ? registeredInputs(draft, n, instanceInputs) : undefined;
    for (const a of n.args) if (!later?.has(a)) visit(a);
    path.pop();
    state[id] = 2;
    order.push(id);
    if (later !== undefined) deferred.push(...later);
  };
  for (let id = 0; id < nodes.length; id++) {
    if (live[id]) visit(id);
    while (deferred.length > 0) visit(deferred.pop()!);
  }
  const keptRegisters = registers.filter((r) => live[r.read]);
  const renumber = new Map(order.map((old, i) => [old, i]));
  const map = (id: number): number => renumber.get(id)!;
  const regIndex = new Map(keptRegisters.map((r, i) => [r.read, i]));

  const finalNodes: Node[] = order.map((old, i) => {
    const n = nodes[old]!;
    const node = draftNode(i, n.kind, n.type, n.args.map(map), n.stage, n);
    node.reg = n.kind === 'reg' ? regIndex.get(old)! : undefined;
    return node;
  });
  const finalRegisters: Register[] = keptRegisters.map((r) => ({
    name: r.name,
    role: r.role,
    type: r.type,
    read: map(r.read),
    next: map(r.next),
    ...(r.enable === undefined ? {} : { enable: map(r.enable) }),
    ...(r.reset === undefined ? {} : { reset: r.reset }),
  }));
  const finalPorts: Port[] = ports.map((p) => (p.driver === undefined ? p : { ...p, driver: map(p.driver) }));
  const instances: Instance[] = draft.instances.map((inst, i) => ({
    name: inst.name,
    module: inst.module,
    inputs: new Map([...instanceInputs[i]!].map(([port, id]) => [port, map(id)])),
    outputs: new Map(
      [...inst.outputs].filter(([, id]) => renumber.has(id)).map(([port, id]) => [port, map(id)]),
    ),
  }));
  const memories: Memory[] = draft.memories.map((mem) => ({
    ...mem,
    write: { enable: map(mem.write.enable), address: map(mem.write.address), data: map(mem.write.data) },
  }));
  checkNames(draft.name, finalNodes, finalPorts, instances);
  return {
    name: draft.name,
    origin: draft.origin,
    ports: finalPorts,
    nodes: finalNodes,
    registers: finalRegisters,
    instances,
    memories,
    timing,
  };
}

/** The drivers of an instance's inputs that do not reach output node `n` in the same cycle. */
function registeredInputs(
  draft: DraftModule,
  n: DraftNode,
  instanceInputs: Map<string, number>[],
): Set<number> {
  const through = combinationalInputs(draft.instances[n.inst!]!.module).get(n.port!);
  const inputs = instanceInputs[n.inst!]!;
  const reached = new Set([...(through ?? [])].map((port) => inputs.get(port)!));
  return new Set([...inputs.values()].filter((id) => !reached.has(id)));
}

/** A combinational loop by the names on it, in the direction values flow (`loop`: each node uses the next). */
function describeLoop(draft: DraftModule, nodes: DraftNode[], loop: number[]): string {
  const names = loop
    .reverse()
    .map((id) => nodes[id]!)
    .flatMap((n) =>
      n.kind === 'instout'
        ? [`${draft.instances[n.inst!]!.name}.${n.port}`]
        : n.name === undefined
          ? []
          : [n.name],
    );
  const shown = names.length > 0 ? names : [nodes[loop[0]!]!.kind];
  return `combinational loop ${[...shown, shown[0]].map((n) => `'${n}'`).join(' → ')}`;
}

/** Every name stands for one thing, except an output port named like the value that drives it. */
function checkNames(module: string, nodes: Node[], ports: Port[], instances: Instance[]): void {
  const owners = new Map<string, string>();
  const claim = (name: string, what: string): void => {
    const owner = owners.get(name);
    if (owner !== undefined)
      throw new HdlError(`module '${module}': the name '${name}' is used by both ${owner} and ${what}`);
    owners.set(name, what);
  };
  for (const n of nodes)
    if (n.name !== undefined && n.kind !== 'input')
      claim(n.name, `a ${n.kind === 'reg' ? 'register' : 'signal'}`);
  for (const inst of instances) claim(inst.name, 'an instance');
  for (const p of ports) {
    if (p.direction === 'output' && p.driver !== undefined && nodes[p.driver]!.name === p.name) continue;
    claim(p.name, 'a port');
  }
}
