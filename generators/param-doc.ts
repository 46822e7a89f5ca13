import { z } from 'zod';
import { objectShape, type Generator } from './generator.ts';

/** One parameter of a generator as `bitsmith params` shows it, read from the zod schema. */
export interface ParamDoc {
  name: string;
  /** 'integer', 'choice', 'boolean', 'number', 'list of …', 'object'. */
  type: string;
  /** The default value; undefined when the default depends on other parameters (see the description). */
  default?: unknown;
  /** Allowed values: the choices, or an integer range such as '1..64'. */
  allowed?: string;
  description: string;
}

/** Every parameter of `generator`, in schema order. */
export function paramDocs(generator: Generator): ParamDoc[] {
  const shape = objectShape(generator.params) ?? {};
  return Object.entries(shape).map(([name, schema]) => ({ name, ...describeSchema(schema) }));
}

interface Layer {
  def?: {
    type?: string;
    innerType?: z.ZodType;
    defaultValue?: unknown;
    element?: z.ZodType;
    checks?: { _zod?: { def?: { check?: string; inclusive?: boolean } } }[];
  };
  description?: string;
}

function describeSchema(schema: z.ZodType): Omit<ParamDoc, 'name'> {
  let s = schema as unknown as Layer & z.ZodType;
  let description = s.description;
  let fallback: unknown;
  let hasDefault = false;
  // Defaults and optionals wrap the value's own schema; a description may sit on any layer.
  for (let i = 0; i < 8; i++) {
    const def = s.def;
    if (def?.type === 'default') {
      hasDefault = true;
      fallback =
        typeof def.defaultValue === 'function' ? (def.defaultValue as () => unknown)() : def.defaultValue;
    } else if (def?.type !== 'optional' && def?.type !== 'nullable') break;
    // An optional parameter may state the value that stands for it when it is left out.
    const stated = (s as unknown as z.ZodType).meta()?.default;
    if (!hasDefault && stated !== undefined) {
      hasDefault = true;
      fallback = stated;
    }
    s = def.innerType as unknown as Layer & z.ZodType;
    description ??= s.description;
  }
  return {
    ...valueType(s),
    ...(hasDefault ? { default: fallback } : {}),
    description: description ?? '',
  };
}

function valueType(s: z.ZodType): { type: string; allowed?: string } {
  if (s instanceof z.ZodEnum) return { type: 'choice', allowed: (s.options as string[]).join(', ') };
  if (s instanceof z.ZodBoolean) return { type: 'boolean', allowed: 'true, false' };
  if (s instanceof z.ZodNumber) {
    // A lower bound alone (a frequency) reads 'above 0' or 'at least 1'.
    const exclusive = ((s as unknown as Layer).def?.checks ?? []).some(
      (c) => c._zod?.def?.check === 'greater_than' && c._zod.def.inclusive === false,
    );
    const range = Number.isFinite(s.maxValue)
      ? `${s.minValue}..${s.maxValue}`
      : Number.isFinite(s.minValue)
        ? `${exclusive ? 'above' : 'at least'} ${s.minValue}`
        : undefined;
    return { type: s.isInt ? 'integer' : 'number', ...(range === undefined ? {} : { allowed: range }) };
  }
  if (s instanceof z.ZodArray) {
    const element = valueType(s.element as z.ZodType);
    return {
      type: `list of ${element.type}`,
      ...(element.allowed === undefined ? {} : { allowed: element.allowed }),
    };
  }
  if (s instanceof z.ZodLiteral) return { type: 'choice', allowed: [...s.values].map(String).join(', ') };
  if (s instanceof z.ZodUnion) {
    const parts = (s.options as z.ZodType[]).map(valueType);
    return {
      type: parts.map((p) => p.type).join(' or '),
      allowed: parts.flatMap((p) => p.allowed ?? []).join('; '),
    };
  }
  const inner = (s as unknown as Layer).def?.innerType;
  if (inner !== undefined) return valueType(inner);
  return { type: (s as unknown as Layer).def?.type ?? 'value' };
}
