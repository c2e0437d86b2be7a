// Sends a file to the lab service in chunks (uploadChunk), so that a checkpoint of any size crosses
// the WebSocket of serve mode (and Electron's IPC) in requests well under the request-size limit.
import { UPLOAD_CHUNK_BYTES, type LabApi } from '../../../../src-shared/api/contract';

/** base64 of bytes, built in pieces (String.fromCharCode on millions of arguments overflows the stack). */
export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export interface UploadSource {
  name: string;
  size: number;
  slice(start: number, end: number): { arrayBuffer(): Promise<ArrayBuffer> };
}

/** Uploads `file`; returns the upload id. `progress` gets the bytes sent so far. */
export async function uploadFile(client: Pick<LabApi, 'uploadChunk'>, file: UploadSource, progress?: (sent: number, total: number) => void, chunk = UPLOAD_CHUNK_BYTES): Promise<string> {
  if (file.size === 0) throw new Error(`${file.name} is empty`);
  let uploadId: string | undefined;
  for (let offset = 0; offset < file.size; offset += chunk) {
    const bytes = new Uint8Array(await file.slice(offset, Math.min(file.size, offset + chunk)).arrayBuffer());
    const r = await client.uploadChunk({ ...(uploadId ? { uploadId } : {}), name: file.name, total: file.size, offset, data: toBase64(bytes) });
    uploadId = r.uploadId;
    progress?.(r.received, file.size);
  }
  return uploadId as string;
}
