// Types of wheels.mjs (plain JavaScript, so that setup runs before `npm install`).
export function sha256(bytes: Buffer): string;
export interface PinnedWheel {
  spec: string;
  file: string;
  sha256: string;
}
export function fetchPinnedWheels(
  root: string,
  wheels: PinnedWheel[],
  dir: string,
): Promise<{ members: Map<string, Buffer>; member(name: string): Buffer }[]>;
