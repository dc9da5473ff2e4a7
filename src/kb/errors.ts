/** A client asked for something wrong: REST answers 400, GraphQL BAD_USER_INPUT, the CLI exits 2. */
export class BadInputError extends Error {
  readonly code = 'BAD_USER_INPUT';
  constructor(
    readonly param: string,
    message: string,
  ) {
    super(`${param}: ${message}`);
    this.name = 'BadInputError';
  }
}

/** Something named does not exist: REST answers 404, GraphQL NOT_FOUND, the CLI exits 1. */
export class NotFoundError extends Error {
  readonly code = 'NOT_FOUND';
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

/** Lists valid values in a message while the list stays short enough to read. */
export function listValues(values: readonly string[], max = 20): string {
  const shown = values.slice(0, max).join(', ');
  return values.length > max ? `${shown}, … (${values.length} in all)` : shown;
}
