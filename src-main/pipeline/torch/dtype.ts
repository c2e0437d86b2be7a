// Raw little-endian tensor bytes → float32. bf16 is the top half of an fp32 (exact); fp16 and fp64
// convert by value (fp64 rounds to the nearest fp32, as torch's .float() does).
import { DTYPE_BYTES, type TorchDType } from './pickle';

export function isFloatDType(d: TorchDType): boolean {
  return d === 'float32' || d === 'bfloat16' || d === 'float16' || d === 'float64';
}

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f === 0 ? s * Infinity : NaN;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

/** `count` values of `dtype` from `bytes` (little-endian, packed) as fp32. */
export function toFloat32(bytes: Uint8Array, dtype: TorchDType, count: number): Float32Array {
  const size = DTYPE_BYTES[dtype];
  if (bytes.byteLength < count * size) throw new Error(`${count} ${dtype} values need ${count * size} bytes, got ${bytes.byteLength}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(count);
  switch (dtype) {
    case 'float32':
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
      return out;
    case 'bfloat16': {
      const bits = new Uint32Array(out.buffer);
      for (let i = 0; i < count; i++) bits[i] = view.getUint16(i * 2, true) << 16;
      // Same host order for the Uint32 write and the Float32 read, so this is right on any host.
      return out;
    }
    case 'float16':
      for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(i * 2, true));
      return out;
    case 'float64':
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(i * 8, true);
      return out;
    default:
      throw new Error(`a ${dtype} tensor is not a float tensor`);
  }
}

/** fp32 → bf16 bits, round-to-nearest-even (torch's .to(torch.bfloat16)). */
export function float32ToBf16Bits(x: number): number {
  const f = new Float32Array([x]);
  const u = new Uint32Array(f.buffer)[0] as number;
  if ((u & 0x7f800000) === 0x7f800000 && (u & 0x7fffff) !== 0) return 0x7fc0; // NaN
  const rounding = 0x7fff + ((u >>> 16) & 1);
  return ((u + rounding) >>> 16) & 0xffff;
}
