/** The words of package.json's scripts.start after `node`. */
export function serverArgs(): string[];
