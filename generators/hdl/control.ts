import { HdlError } from './errors.ts';
import type { ModuleBuilder, RegisterSignal } from './module.ts';
import { mux, type Operand, Signal } from './signal.ts';
import { UInt, type HdlType } from './types.ts';

/**
 * Conditional register assignment, with the priority semantics of Chisel's `when` and Amaranth's
 * `m.If`: inside `m.when(c, body)` a `reg.set(v)` happens only when every enclosing condition holds, and
 * of several assignments that happen in one cycle the last one written wins. A register with no
 * assignment that happens keeps its value.
 */
export class Conditions {
  private readonly stack: (Signal | undefined)[] = [];
  private readonly assignments = new Map<number, { register: RegisterSignal; list: Assignment[] }>();

  constructor(private readonly builder: ModuleBuilder) {}

  /** The condition under which code at this point runs (undefined: always). */
  get current(): Signal | undefined {
    return this.stack[this.stack.length - 1];
  }

  get depth(): number {
    return this.stack.length;
  }

  /** Run `body` with `condition` added to the enclosing ones. */
  within(condition: Signal, body: () => void): void {
    if (condition.width !== 1)
      throw new HdlError(`when: the condition ${condition.label} must be 1 bit wide`);
    const outer = this.current;
    this.stack.push(outer === undefined ? condition : outer.and(condition));
    try {
      body();
    } finally {
      this.stack.pop();
    }
  }

  assign(register: RegisterSignal, value: Signal): void {
    const entry = this.assignments.get(register.id) ?? { register, list: [] };
    entry.list.push({ when: this.current, value });
    this.assignments.set(register.id, entry);
  }

  /** Whether the register read by node `id` has assignments still to resolve. */
  hasAssignments(id: number): boolean {
    return this.assignments.has(id);
  }

  /**
   * Turn every register's assignments into its next value and load condition: the last assignment
   * that happens wins, so the value is a priority chain with the latest assignment outermost.
   */
  resolve(): void {
    const all = [...this.assignments.values()];
    this.assignments.clear();
    for (const { register, list } of all) {
      // The chain is built in the register's stage, where its next value must be known.
      const stage = this.builder.stageOf(register);
      const late = list
        .flatMap((a) => [a.value, ...(a.when === undefined ? [] : [a.when])])
        .find((s) => this.builder.stageOf(s) > stage && this.builder.constantValue(s.id) === undefined);
      if (late !== undefined) {
        throw new HdlError(
          `register '${this.builder.describe(register.id)}' of stage ${stage} is assigned ${late.label} of a later stage; ` +
            `use next(…, { fromLaterStage: true })`,
        );
      }
      this.builder.inStage(stage, () => {
        const lastAlways = list.map((a) => a.when === undefined).lastIndexOf(true);
        const relevant = list.slice(Math.max(0, lastAlways));
        let value = relevant[0]!.value;
        for (const a of relevant.slice(1)) value = mux(a.when!, a.value, value);
        const load = lastAlways >= 0 ? undefined : relevant.map((a) => a.when!).reduce((x, y) => x.or(y));
        register.next(value, load === undefined ? {} : { when: load });
      });
    }
  }
}

interface Assignment {
  when: Signal | undefined;
  value: Signal;
}

/** `m.when(c, …).elsewhen(c2, …).otherwise(…)`: each branch runs only if no earlier one did. */
export class WhenChain {
  constructor(
    private readonly conditions: Conditions,
    /** High when an earlier branch of the chain was taken. */
    private readonly taken: Signal,
  ) {}

  elsewhen(condition: Signal, body: () => void): WhenChain {
    const branch = this.taken.not().and(condition);
    this.conditions.within(branch, body);
    return new WhenChain(this.conditions, this.taken.or(condition));
  }

  otherwise(body: () => void): void {
    this.conditions.within(this.taken.not(), body);
  }
}

/** `m.switch(x).is(1, …).is([2, 3], …).default(…)`: the first matching case runs. */
export class SwitchChain {
  private matched: Signal | undefined;

  constructor(
    private readonly conditions: Conditions,
    private readonly subject: Signal,
  ) {}

  is(values: Operand | readonly Operand[], body: () => void): this {
    const list = Array.isArray(values) ? values : [values as Operand];
    if (list.length === 0)
      throw new HdlError(`switch on ${this.subject.label}: a case needs at least one value`);
    const hit = list.map((v) => this.subject.eq(v)).reduce((x, y) => x.or(y));
    const branch = this.matched === undefined ? hit : this.matched.not().and(hit);
    this.conditions.within(branch, body);
    this.matched = this.matched === undefined ? hit : this.matched.or(hit);
    return this;
  }

  default(body: () => void): void {
    if (this.matched === undefined)
      throw new HdlError(`switch on ${this.subject.label}: default before any case`);
    this.conditions.within(this.matched.not(), body);
  }
}

/**
 * Named codes of one type, e.g. the states of a controller; every back end declares them as named
 * constants (`localparam [1:0] STATE_RUN = 2'd1;`) and the logic refers to them by name.
 */
export class EnumType<M extends string> {
  readonly type: HdlType;
  private readonly codes = new Map<M, Signal>();

  constructor(
    builder: ModuleBuilder,
    readonly name: string,
    readonly members: readonly M[],
  ) {
    if (members.length === 0) throw new HdlError(`enum '${name}': give at least one member`);
    if (new Set(members).size !== members.length) throw new HdlError(`enum '${name}': members must differ`);
    this.type = UInt(Math.max(1, Math.ceil(Math.log2(members.length))));
    members.forEach((member, code) => {
      this.codes.set(member, builder.constant(code, this.type).named(`${name}_${member}`.toUpperCase()));
    });
  }

  /** The code of `member` as a named constant. */
  value(member: M): Signal {
    const code = this.codes.get(member);
    if (code === undefined) {
      throw new HdlError(
        `enum '${this.name}' has no member '${member}' (members: ${this.members.join(', ')})`,
      );
    }
    return code;
  }

  code(member: M): number {
    return this.members.indexOf(member);
  }
}

/**
 * A state machine: a state register over named states, `is(state)` to test it and `goto(state)` to
 * move, under the enclosing `when` conditions. Without a `goto` that happens, the state stays.
 */
export class StateMachine<S extends string> {
  readonly states: EnumType<S>;
  readonly state: RegisterSignal;
  private readonly tests = new Map<S, Signal>();

  constructor(
    builder: ModuleBuilder,
    readonly name: string,
    states: readonly S[],
    reset: S,
  ) {
    if (!states.includes(reset)) {
      throw new HdlError(`fsm '${name}': the reset state '${reset}' is not one of ${states.join(', ')}`);
    }
    this.states = new EnumType(builder, name, states);
    this.state = builder.register(name, this.states.type, { reset: this.states.code(reset) });
  }

  /** High while the machine is in `state` (named `<fsm>_is_<state>`). */
  is(state: S): Signal {
    let test = this.tests.get(state);
    if (test === undefined) {
      test = this.state.eq(this.states.value(state)).named(`${this.name}_is_${state}`);
      this.tests.set(state, test);
    }
    return test;
  }

  /** Move to `state` at the next clock edge (when the enclosing conditions hold). */
  goto(state: S): void {
    this.state.set(this.states.value(state));
  }
}
