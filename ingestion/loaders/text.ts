import { decodeText } from './sniff.js';
import type { Loader } from './types.js';

export const textLoader: Loader = {
  format: 'text',
  async load(bytes, { name }) {
    return { text: await decodeText(bytes, name, 'text') };
  },
};
