/**
 * Loads an ES-module-only package (jose 6, stream-json 3) from this CommonJS project through
 * Node's own loader: Node >= 20.19 supports `require()` of ES modules. `process.getBuiltinModule`
 * reaches the real `node:module` even under jest, whose own module registry cannot load ES modules.
 */
export function nativeRequire(id: string): unknown {
  const getBuiltin = (process as unknown as { getBuiltinModule?: (id: string) => unknown })
    .getBuiltinModule;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = (getBuiltin ? getBuiltin('node:module') : require('node:module')) as {
    createRequire(path: string): (id: string) => unknown;
  };
  return mod.createRequire(__filename)(id);
}
