/** A misuse of the DSL found while a module is built: the message names the signals and widths involved. */
export class HdlError extends Error {
  override name = 'HdlError';
}
