/**
 * Each message a webview sends is one valibot schema; its TypeScript type (`v.InferOutput`) and
 * its runtime check (`guardOf`) both come from that schema, so there is one place to edit.
 * Messages from a webview are untrusted input: the panels check them before acting on them.
 */
import * as v from 'valibot';

export type Schema = v.GenericSchema;

/** The type guard of a schema: `if (!isX(message)) return;`. */
export function guardOf<S extends Schema>(schema: S): (value: unknown) => value is v.InferOutput<S> {
  return (value: unknown): value is v.InferOutput<S> => v.is(schema, value);
}

/** A whole number ≥ 0 (a row offset, a page size). */
export const count = () => v.pipe(v.number(), v.integer(), v.minValue(0));

/**
 * Compile-time proof that a schema describes exactly a type owned by the core (the form values):
 * `sameShape<CoreType>()(schema)` fails to type-check when either side gains or loses a field.
 */
export function sameShape<T>() {
  return <S extends Schema>(schema: S & (Exact<v.InferOutput<S>, T> extends true ? unknown : never)): S => schema;
}

type Exact<A, B> = Mutual<A, B> extends true ? Mutual<keyof A, keyof B> : false;
type Mutual<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
