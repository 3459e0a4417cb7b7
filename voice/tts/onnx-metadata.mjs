// Reads and writes an ONNX model's metadata_props without an ONNX library: setup writes sherpa-onnx's keys
// into the Piper voice (scripts/lib/tts-model.mjs), the Piper engine checks them before loading (piper.ts).
// Plain JavaScript, standard library only, so that setup can import it before `npm install`.
// An ONNX file is a serialized ModelProto; metadata_props is its field 14, a repeated
// StringStringEntryProto { string key = 1; string value = 2; }. Appending encoded entries of a repeated
// field to the end of a serialized message is valid protobuf, so no ONNX library is needed.

const METADATA_PROPS = 14;
const LEN = 2;

function varint(n) {
  const bytes = [];
  let v = BigInt(n);
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    bytes.push(byte);
  } while (v > 0n);
  return Buffer.from(bytes);
}

function lengthDelimited(field, payload) {
  return Buffer.concat([varint((field << 3) | LEN), varint(payload.length), payload]);
}

function readVarint(buf, pos) {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    if (pos >= buf.length) throw new Error('truncated protobuf varint');
    const byte = buf[pos++];
    result |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return [result, pos];
    shift += 7n;
  }
}

/** Walks the top-level fields of a serialized message: [{ field, wire, start, end }] of each payload. */
export function topLevelFields(buf) {
  const fields = [];
  let pos = 0;
  while (pos < buf.length) {
    const [tag, afterTag] = readVarint(buf, pos);
    const field = Number(tag >> 3n);
    const wire = Number(tag & 7n);
    let start = afterTag;
    let end;
    if (wire === 0) [, end] = readVarint(buf, start);
    else if (wire === 1) end = start + 8;
    else if (wire === 5) end = start + 4;
    else if (wire === LEN) {
      const [length, afterLength] = readVarint(buf, start);
      start = afterLength;
      end = start + Number(length);
    } else throw new Error(`unsupported protobuf wire type ${wire} (field ${field})`);
    if (end > buf.length) throw new Error(`protobuf field ${field} runs past the end of the file`);
    fields.push({ field, wire, start, end });
    pos = end;
  }
  return fields;
}

/** The model's metadata_props as a plain object. */
export function readMetadata(model) {
  const out = {};
  for (const f of topLevelFields(model)) {
    if (f.field !== METADATA_PROPS || f.wire !== LEN) continue;
    const entry = model.subarray(f.start, f.end);
    let key = '';
    let value = '';
    for (const g of topLevelFields(entry)) {
      const text = entry.subarray(g.start, g.end).toString('utf8');
      if (g.field === 1) key = text;
      else if (g.field === 2) value = text;
    }
    out[key] = value;
  }
  return out;
}

/** The model with `metadata` added; refuses keys it already has rather than leave two values for one. */
export function withMetadata(model, metadata) {
  const existing = readMetadata(model);
  const clash = Object.keys(metadata).filter((k) => k in existing);
  if (clash.length) throw new Error(`the model already has metadata ${clash.join(', ')}`);
  const entries = Object.entries(metadata).map(([key, value]) =>
    lengthDelimited(
      METADATA_PROPS,
      Buffer.concat([
        lengthDelimited(1, Buffer.from(key, 'utf8')),
        lengthDelimited(2, Buffer.from(String(value), 'utf8')),
      ]),
    ),
  );
  return Buffer.concat([model, ...entries]);
}
