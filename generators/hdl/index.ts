// The DSL and IR: build modules with ModuleBuilder and Signal operators, evaluate them with Evaluator.
export { HdlError } from './errors.ts';
export { SInt, UInt, typeName, typeRange, toBits, fromBits, type HdlType } from './types.ts';
export { Signal, mux, cat, select, type Operand } from './signal.ts';
export { ModuleBuilder, RegisterSignal, WireSignal, checkIdentifier, type ModuleOptions } from './module.ts';
export { EnumType, StateMachine, SwitchChain, WhenChain } from './control.ts';
export { Evaluator, runVectors } from './evaluate.ts';
export {
  moduleHierarchy,
  isControlPort,
  constantNodes,
  type Module,
  type Node,
  type Port,
  type Register,
  type RegisterRole,
  type Timing,
} from './ir.ts';
