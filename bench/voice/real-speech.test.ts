import { describe, expect, it } from 'vitest';
import { sphinxTranscription, untar } from './real-speech.js';

/** One 512-byte ustar header for a regular file (or a pax record, type 'x'), then its padded body. */
function entry(name: string, body: string, type = '0'): Buffer {
  const header = Buffer.alloc(512);
  header.write(name.slice(0, 100), 0, 'utf8');
  header.write(`${Buffer.byteLength(body).toString(8).padStart(11, '0')}\0`, 124, 'ascii');
  header.write(type, 156, 'ascii');
  header.write('ustar\x0000', 257, 'ascii');
  const data = Buffer.alloc(Math.ceil(Buffer.byteLength(body) / 512) * 512);
  data.write(body, 0, 'utf8');
  return Buffer.concat([header, data]);
}

/** A pax extended-header record: its own length in decimal, then ` key=value\n`. */
function paxRecord(key: string, value: string): string {
  const rest = ` ${key}=${value}\n`;
  let n = rest.length + 1;
  while (String(n).length + rest.length !== n) n++;
  return `${n}${rest}`;
}

describe('the real speech set', () => {
  it('reads the references of a Sphinx transcription file, as the pocketsphinx sdist writes them', () => {
    expect(
      sphinxTranscription(
        '<s> he was not an ill disposed young man </s> (sense_and_sensibility_01_austen_64kb-0880)\n' +
          '<s> ten of clubs  </s> (001)\n\n',
      ),
    ).toEqual([
      { id: 'sense_and_sensibility_01_austen_64kb-0880', text: 'he was not an ill disposed young man' },
      { id: '001', text: 'ten of clubs' },
    ]);
  });

  it('reads the files of a tar archive, a long name from its pax record', () => {
    const long = `pocketsphinx-5.1.1/test/data/${'x'.repeat(120)}.wav`;
    const pax = paxRecord('path', long);
    const tar = Buffer.concat([
      entry('pocketsphinx-5.1.1/test/data/goforward.raw', 'RAW'),
      entry('PaxHeader/long', pax, 'x'),
      entry(long.slice(0, 100), 'a'.repeat(600)),
      Buffer.alloc(1024),
    ]);
    const files = untar(tar);
    expect([...files.keys()]).toEqual(['pocketsphinx-5.1.1/test/data/goforward.raw', long]);
    expect(files.get(long)!.toString()).toBe('a'.repeat(600));
  });
});
