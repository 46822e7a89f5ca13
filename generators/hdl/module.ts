import { HdlError } from './errors.ts';
import type { Instance, Memory, Module, Node, NodeKind, Port, Register } from './ir.ts';
import { isControlPort } from './ir.ts';
import {
  draftNode,
  lowerStages,
  type Backpressure,
  type DraftModule,
  type DraftNode,
  type DraftRegister,
} from './lower.ts';
import { Conditions, EnumType, StateMachine, SwitchChain, WhenChain } from './control.ts';
import { Signal, constantBits, type Operand } from './signal.ts';
import { typeName, type HdlType } from './types.ts';

export interface ModuleOptions {
  /**
   * Add valid/ready backpressure (in_ready, out_ready). `true`: a stalled output freezes every stage
   * at once, so in_ready and every stage's enable follow out_ready through one gate. `'skid'`: a
   * one-entry skid buffer after the last stage takes a result the consumer leaves, and the stages
   * freeze from the next cycle on, so in_ready and the enables come from a register.
   */
  ready?: Backpressure;
  /**
   * clk and rst only, no valid chain and no stage cuts: registers load every cycle unless given a
   * condition, and the module drives its own handshakes (streams, start/done). Needed for memories.
   */
  sequential?: boolean;
  /**
   * An `advance` input that freezes every stage while low, so that the module can be instanced inside
   * a parent with valid/ready backpressure: the parent drives it with its own stall.
   */
  enable?: boolean;
  /**
   * Give every node its stage before the cuts are lowered, in place of the builder's own `stage()` calls
   * (timing/place-stages.ts places them from a clock period).
   */
  placeStages?: (draft: DraftModule) => DraftModule;
}

/** A memory being built: combinational reads anywhere, one write port set once. */
export class MemoryHandle {
  constructor(
    private readonly builder: ModuleBuilder,
    readonly index: number,
    readonly name: string,
    readonly type: HdlType,
    readonly depth: number,
  ) {}

  /** The word at `address`; register it (load it when needed) to get a block-RAM read port. */
  read(address: Signal): Signal {
    this.builder.check(address);
    this.builder.checkMemoryAddress(this.index, address);
    return this.builder.node('memrd', this.type, [address.id], { mem: this.index });
  }

  /** Store `data` at `address` at the clock edge when `enable` is high. */
  write(address: Signal, data: Signal, enable: Signal): void {
    this.builder.setMemoryWrite(this.index, address, data, enable);
  }
}

export interface RegisterOptions {
  /** Value loaded while rst is high. */
  reset?: bigint | number;
}

/** A register declared by the designer: read it like any signal, give it its next value once. */
export class RegisterSignal extends Signal {
  /**
   * Load `value` when a valid input passes this register's stage (and `when` is high, if given).
   * Without `when`, the register also serves as the value's copy in the next stage.
   * With `fromLaterStage`, it loads when the vector passes the stage `value` and `when` are computed
   * in, which may follow the stage it is read in: a loop spread over several stages. The designer
   * makes sure that no vector reads it while a load is still on its way (loads far enough apart).
   */
  next(value: Signal, options: { when?: Signal; fromLaterStage?: boolean } = {}): void {
    this.builder.setRegisterNext(this.id, value, options.when, options.fromLaterStage ?? false);
  }

  /**
   * Assign `value` under the enclosing `m.when` / `m.switch` conditions; the last assignment that
   * happens in a cycle wins, and without one the register keeps its value. Use either set or next.
   */
  set(value: Operand): void {
    this.builder.assignRegister(this, value);
  }
}

/**
 * A value used before it is computed: `m.wire(name, type)` declares it, `drive(value)` gives it its
 * value once. It lets sequential blocks exchange signals both ways, e.g. a controller's `fire` into the
 * blocks it starts and their registered `busy` back into it. A loop that no register breaks is an
 * error at build time that names the values on it.
 */
export class WireSignal extends Signal {
  drive(value: Signal): void {
    this.builder.driveWire(this, value);
  }
}

const VERILOG_KEYWORDS = new Set(
  (
    'always and assign begin buf case casex casez cmos deassign default defparam disable edge else end endcase ' +
    'endfunction endmodule endprimitive endspecify endtable endtask event for force forever fork function generate ' +
    'genvar highz0 highz1 if ifnone initial inout input integer join large localparam macromodule medium module ' +
    'nand negedge nmos nor not notif0 notif1 or output parameter pmos posedge primitive pull0 pull1 pulldown pullup ' +
    'rcmos real realtime reg release repeat rnmos rpmos rtran rtranif0 rtranif1 scalared signed small specify ' +
    'specparam strong0 strong1 supply0 supply1 table task time tran tranif0 tranif1 tri tri0 tri1 triand trior ' +
    'trireg unsigned vectored wait wand weak0 weak1 while wire wor xnor xor automatic cell config design endconfig ' +
    'endgenerate incdir include instance liblist library noshowcancelled pulsestyle_ondetect pulsestyle_onevent ' +
    'showcancelled use uwire ' +
    // SystemVerilog's (IEEE 1800-2017 Annex B): tools that read .v files as SystemVerilog (Verilator,
    // vendor flows) reject these as names.
    'accept_on alias always_comb always_ff always_latch assert assume before bind bins binsof bit break byte ' +
    'chandle checker class clocking const constraint context continue cover covergroup coverpoint cross dist do ' +
    'endchecker endclass endclocking endgroup endinterface endpackage endprogram endproperty endsequence enum ' +
    'eventually expect export extends extern final first_match foreach forkjoin global iff ignore_bins ' +
    'illegal_bins implements implies import inside int interconnect interface intersect join_any join_none let ' +
    'local logic longint matches modport nettype new nexttime null package packed priority program property ' +
    'protected pure rand randc randcase randsequence ref reject_on restrict return s_always s_eventually ' +
    's_nexttime s_until s_until_with sequence shortint shortreal soft solve static string strong struct super ' +
    'sync_accept_on sync_reject_on tagged this throughout timeprecision timeunit type typedef union unique ' +
    'unique0 until until_with untyped var virtual void wait_order weak wildcard with within'
  ).split(' '),
);

export function checkIdentifier(name: string, what: string): void {
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name) || VERILOG_KEYWORDS.has(name)) {
    throw new HdlError(
      `${what} '${name}' is not a valid name: use a letter followed by letters, digits or '_', and no Verilog or SystemVerilog keyword`,
    );
  }
}

/**
 * Builds one module: ports, operations, registers, stage cuts and instances. `build()` lowers the
 * stage cuts into balanced pipeline registers and returns the immutable IR Module.
 */
export class ModuleBuilder {
  private readonly nodes: DraftNode[] = [];
  private readonly ports: Port[] = [];
  private readonly registers: DraftRegister[] = [];
  private readonly instances: DraftModule['instances'] = [];
  private readonly memories: (Omit<Memory, 'write'> & { write?: Memory['write'] })[] = [];
  private readonly names = new Map<string, string>();
  private readonly conditions = new Conditions(this);
  private readonly portNames = new Set<string>();
  private readonly wires: number[] = [];
  private currentStage = 0;
  private built = false;

  constructor(
    readonly name: string,
    private readonly origin: Module['origin'],
    private readonly options: ModuleOptions = {},
  ) {
    checkIdentifier(name, 'module name');
  }

  input(name: string, type: HdlType, doc?: string): Signal {
    this.claimPortName(name);
    this.ports.push({ name, direction: 'input', type, ...(doc === undefined ? {} : { doc }) });
    const signal = this.node('input', type, [], { port: name });
    this.nodes[signal.id]!.name = name;
    return signal;
  }

  output(name: string, value: Signal, doc?: string): void {
    this.check(value);
    this.claimPortName(name, value.id);
    this.ports.push({
      name,
      direction: 'output',
      type: value.type,
      driver: value.id,
      ...(doc === undefined ? {} : { doc }),
    });
  }

  constant(value: bigint | number, type: HdlType): Signal {
    return this.node('const', type, [], { value: constantBits(BigInt(value), type) });
  }

  /** Cut the pipeline here: values made before this call reach later logic through registers. */
  stage(): void {
    if (this.conditions.depth > 0)
      throw new HdlError(`module '${this.name}': no stage cut inside a when or switch`);
    this.currentStage++;
  }

  /** Run `body` when `condition` holds: register assignments in it (`reg.set`) happen only then. */
  when(condition: Signal, body: () => void): WhenChain {
    this.check(condition);
    this.conditions.within(condition, body);
    return new WhenChain(this.conditions, condition);
  }

  /** Cases on the value of `subject`: `.is(v, body)`, `.default(body)`; the first match runs. */
  switch(subject: Signal): SwitchChain {
    return new SwitchChain(this.conditions, this.check(subject));
  }

  /** Named codes (`localparam`s in Verilog), e.g. `m.enum('mode', ['read', 'write'])`. */
  enum<M extends string>(name: string, members: readonly M[]): EnumType<M> {
    return new EnumType(this, name, members);
  }

  /** A state machine with named states: a register `name`, reset to `options.reset` (the first state). */
  fsm<S extends string>(name: string, states: readonly S[], options: { reset?: S } = {}): StateMachine<S> {
    return new StateMachine(this, name, states, options.reset ?? states[0]!);
  }

  /** Internal: the pipeline stage a signal is computed in. */
  stageOf(signal: Signal): number {
    return this.nodes[this.check(signal).id]!.stage;
  }

  /** Internal: build logic in an earlier stage (control constructs resolved at build time). */
  inStage<T>(stage: number, build: () => T): T {
    const current = this.currentStage;
    this.currentStage = stage;
    try {
      return build();
    } finally {
      this.currentStage = current;
    }
  }

  /** Internal: a conditional assignment (RegisterSignal.set). */
  assignRegister(register: RegisterSignal, value: Operand): void {
    const v = register.operand(value);
    if (v.width !== register.width || v.signed !== register.signed) {
      throw new HdlError(
        `register '${this.describe(register.id)}' is ${typeName(register.type)} but ${v.label} is assigned to it`,
      );
    }
    const reg = this.registers[this.nodes[register.id]!.reg!]!;
    if (reg.next !== undefined) {
      throw new HdlError(`register '${reg.name}' already has its next value; use either next or set`);
    }
    this.conditions.assign(register, v);
  }

  register(name: string, type: HdlType, options: RegisterOptions = {}): RegisterSignal {
    this.claimName(name, 'register');
    const index = this.registers.length;
    const id = this.nodes.length;
    this.nodes.push(draftNode(id, 'reg', type, [], this.currentStage, { reg: index, name }));
    const reset = options.reset === undefined ? undefined : constantBits(BigInt(options.reset), type);
    this.registers.push({ name, type, reset, read: id, stage: this.currentStage });
    return new RegisterSignal(this, id, type);
  }

  /** A forward wire (sequential modules): read it now, `drive` it once later. */
  wire(name: string, type: HdlType): WireSignal {
    if (!this.options.sequential) {
      throw new HdlError(
        `wire '${name}': forward wires need a sequential module (ModuleOptions.sequential); a pipeline's values follow its stages`,
      );
    }
    this.claimName(name, 'wire');
    const id = this.nodes.length;
    // An identity node whose operand is set by drive(); build() orders the nodes so that it follows it.
    this.nodes.push(draftNode(id, 'cast', type, [], this.currentStage, { name }));
    this.wires.push(id);
    return new WireSignal(this, id, type);
  }

  /** Internal: WireSignal.drive. */
  driveWire(wire: WireSignal, value: Signal): void {
    const node = this.nodes[wire.id]!;
    if (node.args.length > 0) throw new HdlError(`wire '${node.name}' is already driven`);
    this.check(value);
    if (value.width !== wire.width || value.signed !== wire.signed) {
      throw new HdlError(`wire '${node.name}' is ${typeName(wire.type)} but ${value.label} drives it`);
    }
    node.args = [value.id];
  }

  /** A memory of `depth` words; the module must be sequential. */
  memory(name: string, type: HdlType, depth: number): MemoryHandle {
    this.claimName(name, 'memory');
    if (!this.options.sequential) {
      throw new HdlError(`memory '${name}': memories need a sequential module (ModuleOptions.sequential)`);
    }
    if (!Number.isSafeInteger(depth) || depth < 2) {
      throw new HdlError(`memory '${name}': depth ${depth} is not allowed; use an integer of 2 or more`);
    }
    this.memories.push({ name, type, depth });
    return new MemoryHandle(this, this.memories.length - 1, name, type, depth);
  }

  /** Addresses have exactly the bits the depth needs, so that no simulator sees an index out of range. */
  checkMemoryAddress(index: number, address: Signal): void {
    const mem = this.memories[index]!;
    const bits = Math.max(1, Math.ceil(Math.log2(mem.depth)));
    if (address.width !== bits) {
      throw new HdlError(
        `memory '${mem.name}' of ${mem.depth} words takes ${bits}-bit addresses, but ${address.label} is given`,
      );
    }
  }

  setMemoryWrite(index: number, address: Signal, data: Signal, enable: Signal): void {
    const mem = this.memories[index]!;
    if (mem.write !== undefined) throw new HdlError(`memory '${mem.name}' already has its write port`);
    for (const s of [address, data, enable]) this.check(s);
    if (enable.width !== 1)
      throw new HdlError(`memory '${mem.name}': the write enable ${enable.label} must be 1 bit`);
    if (data.width !== mem.type.width) {
      throw new HdlError(
        `memory '${mem.name}' holds ${typeName(mem.type)} words but ${data.label} is written`,
      );
    }
    this.checkMemoryAddress(index, address);
    mem.write = { enable: enable.id, address: address.id, data: data.id };
  }

  /**
   * Instantiate a module; every data input must be connected with its exact type.
   * - A combinational module computes its outputs in the current stage.
   * - A pipelined module (without valid/ready ports) inside a pipelined parent takes its inputs in the
   *   current stage and gives its outputs `latency` stages later: read them after as many `stage()`
   *   calls. Its valid chain follows the parent's, and a parent with backpressure freezes it through
   *   its `advance` input (build the child with `enable`).
   * - Inside a sequential parent, any clocked module is a block whose handshake ports (in_valid,
   *   out_valid, advance, …) the designer connects and reads like data; clk and rst are connected.
   */
  instance(module: Module, name: string, inputs: Record<string, Signal>): Record<string, Signal> {
    this.claimName(name, 'instance');
    const timing = module.timing;
    const inPipeline = !(this.options.sequential ?? false) && timing.kind !== 'comb';
    if (inPipeline && (timing.kind === 'sequential' || timing.ready)) {
      throw new HdlError(
        `instance '${name}' of '${module.name}': a ${timing.kind === 'sequential' ? 'sequential module' : 'module with valid/ready ports'} ` +
          `cannot sit inside a pipeline; build it pipelined without 'ready' (with 'enable' under a parent with backpressure), ` +
          `or instance it in a sequential module`,
      );
    }
    const automatic = new Set(['clk', 'rst', ...(inPipeline ? ['in_valid', 'advance', 'out_valid'] : [])]);
    if (inPipeline && this.options.ready && !module.ports.some((p) => p.name === 'advance')) {
      throw new HdlError(
        `instance '${name}' of '${module.name}': '${this.name}' has valid/ready backpressure, so its stalls must ` +
          `freeze the instance: build '${module.name}' with the 'enable' option`,
      );
    }
    const inputPorts = module.ports.filter((p) => p.direction === 'input' && !automatic.has(p.name));
    for (const key of Object.keys(inputs)) {
      if (!inputPorts.some((p) => p.name === key)) {
        throw new HdlError(
          `instance '${name}': '${module.name}' has no input '${key}' (inputs: ${inputPorts.map((p) => p.name).join(', ')})`,
        );
      }
    }
    const args = inputPorts.map((p) => {
      const driver = inputs[p.name];
      if (driver === undefined)
        throw new HdlError(`instance '${name}': input '${p.name}' of '${module.name}' is not connected`);
      this.check(driver);
      if (driver.width !== p.type.width) {
        throw new HdlError(
          `instance '${name}': input '${p.name}' is ${typeName(p.type)} but ${driver.label} is connected to it`,
        );
      }
      return driver.id;
    });
    const latency = inPipeline && timing.kind === 'pipelined' ? timing.latency : 0;
    const index = this.instances.length;
    const outputs = new Map<string, number>();
    const result: Record<string, Signal> = {};
    for (const p of module.ports.filter((q) => q.direction === 'output' && !automatic.has(q.name))) {
      const id = this.nodes.length;
      this.nodes.push(
        draftNode(id, 'instout', p.type, [...args], this.currentStage + latency, {
          inst: index,
          port: p.name,
        }),
      );
      outputs.set(p.name, id);
      result[p.name] = new Signal(this, id, p.type);
    }
    this.instances.push({
      name,
      module,
      inputPorts: inputPorts.map((p) => p.name),
      outputs,
      inputStage: this.currentStage,
      latency,
    });
    return result;
  }

  /** Internal: create a node in the current stage. */
  node(kind: NodeKind, type: HdlType, args: number[], extra: Partial<DraftNode> = {}): Signal {
    if (this.built) throw new HdlError(`module '${this.name}' is already built; create a new builder`);
    const id = this.nodes.length;
    this.nodes.push(draftNode(id, kind, type, args, this.currentStage, extra));
    return new Signal(this, id, type);
  }

  /** Internal: check that a signal belongs to this module. */
  check(signal: Signal): Signal {
    if (signal.builder !== this) {
      throw new HdlError(`${signal.label} belongs to module '${signal.builder.name}', not '${this.name}'`);
    }
    return signal;
  }

  nameNode(id: number, name: string): void {
    const node = this.nodes[id]!;
    // A value that already has a name keeps it: a second name would only add an alias wire.
    if (node.name !== undefined) return;
    this.claimName(name, 'signal');
    node.name = name;
  }

  /** The value of a constant node, or undefined when the node is not a constant. */
  constantValue(id: number): bigint | undefined {
    const node = this.nodes[id]!;
    return node.kind === 'const' ? node.value : undefined;
  }

  describe(id: number): string {
    const node = this.nodes[id]!;
    return node.name ?? `${node.kind}#${id}`;
  }

  setRegisterNext(readId: number, value: Signal, when?: Signal, fromLaterStage = false): void {
    const reg = this.registers[this.nodes[readId]!.reg!]!;
    if (reg.next !== undefined) throw new HdlError(`register '${reg.name}' already has its next value`);
    if (this.conditions.hasAssignments(readId)) {
      throw new HdlError(`register '${reg.name}' is assigned with set; use either next or set`);
    }
    this.check(value);
    if (value.width !== reg.type.width || value.signed !== reg.type.signed) {
      throw new HdlError(
        `register '${reg.name}' is ${typeName(reg.type)} but its next value ${value.label} is not`,
      );
    }
    if (when !== undefined && this.check(when).width !== 1) {
      throw new HdlError(`register '${reg.name}': the load condition ${when.label} must be 1 bit wide`);
    }
    reg.next = value.id;
    if (when !== undefined) reg.when = when.id;
    if (fromLaterStage) {
      reg.loadStage = Math.max(
        reg.stage,
        this.nodes[value.id]!.stage,
        this.nodes[when?.id ?? value.id]!.stage,
      );
    }
  }

  build(): Module {
    if (this.built) throw new HdlError(`module '${this.name}' is already built`);
    const outputs = this.ports.filter((p) => p.direction === 'output');
    if (outputs.length === 0) throw new HdlError(`module '${this.name}' has no output`);
    this.conditions.resolve();
    for (const id of this.wires) {
      if (this.nodes[id]!.args.length === 0)
        throw new HdlError(`wire '${this.nodes[id]!.name}' in '${this.name}' is never driven`);
    }
    for (const reg of this.registers) {
      if (reg.next === undefined)
        throw new HdlError(`register '${reg.name}' in '${this.name}' never gets a next value`);
    }
    const memories = this.memories.map((mem) => {
      if (mem.write === undefined)
        throw new HdlError(`memory '${mem.name}' in '${this.name}' is never written`);
      return { ...mem, write: mem.write };
    });
    for (const inst of this.instances) {
      if (inst.inputStage + inst.latency > this.currentStage) {
        throw new HdlError(
          `instance '${inst.name}' in '${this.name}': its outputs come ${inst.latency} stages after stage ` +
            `${inst.inputStage}, after the module's last stage ${this.currentStage}; add stage cuts`,
        );
      }
    }
    this.built = true;
    const draft: DraftModule = {
      name: this.name,
      origin: this.origin,
      ports: this.ports,
      nodes: this.nodes,
      registers: this.registers,
      instances: this.instances,
      memories,
      latency: this.currentStage,
      ready: this.options.ready ?? false,
      enable: this.options.enable ?? false,
      sequential: this.options.sequential ?? false,
      forwardWires: this.wires.length > 0,
    };
    return lowerStages(this.options.placeStages?.(draft) ?? draft);
  }

  private claimPortName(name: string, driver?: number): void {
    checkIdentifier(name, 'port');
    if (isControlPort(name)) throw new HdlError(`port name '${name}' is reserved for the pipeline handshake`);
    if (this.portNames.has(name)) throw new HdlError(`module '${this.name}' already has a port '${name}'`);
    this.portNames.add(name);
    // An output may share its name with the value that drives it; any other clash is an error.
    const owner = this.names.get(name);
    if (owner !== undefined && !(driver !== undefined && this.nodes[driver]!.name === name)) {
      throw new HdlError(`port '${name}' clashes with the ${owner} of the same name`);
    }
    this.names.set(name, 'port');
  }

  private claimName(name: string, what: string): void {
    checkIdentifier(name, `${what} name`);
    const owner = this.names.get(name);
    if (owner !== undefined) throw new HdlError(`${what} name '${name}' is already used by a ${owner}`);
    this.names.set(name, what);
  }
}

export type { Instance, Node, Register };
