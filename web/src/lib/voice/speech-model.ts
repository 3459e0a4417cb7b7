// The Silero model in the browser. onnxruntime-web's wasm and silero_vad_v5.onnx are imported as URLs, so
// Vite copies them from the npm packages into the app's own assets at build time: they are served by the
// app (the machine may be offline; no CDN is asked), and loaded only when a microphone first opens.
import type { SpeechModel } from './silero';

export async function loadSpeechModel(): Promise<SpeechModel> {
  const [ort, { Silero }, wasm, glue, model] = await Promise.all([
    import('onnxruntime-web/wasm'),
    import('./silero'),
    // Not among onnxruntime-web's package exports, hence the paths (the root node_modules, as for core/).
    import('../../../../node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.wasm?url'),
    // The runtime's Emscripten glue, which it imports by itself from beside its own script otherwise.
    import('../../../../node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.mjs?url'),
    import('@ricky0123/vad-web/dist/silero_vad_v5.onnx?url'),
  ]);
  ort.env.wasm.wasmPaths = { wasm: wasm.default, mjs: glue.default };
  const res = await fetch(model.default);
  if (!res.ok) throw new Error(`the speech model could not be fetched (HTTP ${res.status})`);
  return Silero.create(ort, await res.arrayBuffer());
}
