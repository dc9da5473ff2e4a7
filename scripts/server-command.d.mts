/** The node arguments that start the server under the given environment (MEMORY_LIMIT_MB sets the V8 flags). */
export function serverArgs(env?: NodeJS.ProcessEnv): string[];
