// Text handling shared by the server and the browser: no Node-only imports here.
export {
  ABBREVIATIONS,
  SentenceBuffer,
  hasWords,
  sentenceSegments,
  splitClauses,
  splitSentences,
} from './sentences.js';
export { findFillers, type Filler } from './fillers.js';
export { findHedges, type Hedge } from './hedges.js';
export { STOPWORDS, stem, termWords, terms } from './terms.js';
export { MAX_SENTENCE_CHARS, speakableSentences } from './speakable.js';
