// Types of onnx-metadata.mjs (plain JavaScript, so that setup can import it before `npm install`).
export function readMetadata(model: Buffer): Record<string, string>;
export function withMetadata(model: Buffer, metadata: Record<string, string | number>): Buffer;
export function topLevelFields(buf: Buffer): { field: number; wire: number; start: number; end: number }[];
