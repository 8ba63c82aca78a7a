/**
 * The part of `onnxruntime-node` the embedding tier uses, typed here so the
 * package stays optional: it is loaded with a dynamic `import()` only when a
 * model directory is configured, and a user without it gets BM25 and one
 * warning instead of a crash. Nothing else in headroom imports it, so no other
 * command pays its load time.
 */

export interface OrtTensor {
  readonly dims: readonly number[];
  readonly data: unknown;
}

export interface OrtSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
}

export interface OrtModule {
  InferenceSession: { create(modelPath: string): Promise<OrtSession> };
  Tensor: new (type: 'int64', data: BigInt64Array, dims: readonly number[]) => OrtTensor;
}

/** The npm package that runs the model; an optional dependency of headroom. */
export const ONNX_RUNTIME_PACKAGE = 'onnxruntime-node';

/** The runtime, or why it could not be loaded (not installed, no binary for this platform). */
export async function loadOnnxRuntime(specifier: string = ONNX_RUNTIME_PACKAGE): Promise<OrtModule | string> {
  try {
    // A variable specifier: TypeScript needs no types for the package and bundlers do not pull it in.
    const loaded = (await import(specifier)) as Partial<OrtModule> & { default?: Partial<OrtModule> };
    const runtime = loaded.InferenceSession !== undefined ? loaded : loaded.default;
    if (runtime?.InferenceSession === undefined || runtime.Tensor === undefined) return `${specifier} does not export InferenceSession and Tensor`;
    return runtime as OrtModule;
  } catch (error) {
    return `${specifier} could not be loaded (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); install it with npm install ${ONNX_RUNTIME_PACKAGE}`;
  }
}
