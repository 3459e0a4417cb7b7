// The voice routes: a spoken answer in, its recording back (or deleted), and questions spoken out loud.
import { performance } from 'node:perf_hooks';
import express, { Router } from 'express';
import { ttsTimeToFirstByte } from '../../core/metrics.js';
import { ownerOf, userOf, type ApiDeps } from '../context.js';
import { badRequest } from '../errors.js';
import {
  audioFieldsSchema,
  audioSegmentParamsSchema,
  finishAudioSchema,
  ttsQuerySchema,
} from '../../contract/index.js';
import { createVoiceService } from '../services/voice.js';
import { receiveFile } from '../upload.js';

export function voiceRouter(deps: ApiDeps): Router {
  const voice = createVoiceService(deps);
  const router = Router();

  router.post('/api/sessions/:id/audio', receiveFile(voice.limits.maxBytes), async (req, res) => {
    if (!req.file) throw badRequest('send the recording as the multipart field "file"');
    const { turnId } = audioFieldsSchema.parse(req.body ?? {});
    const accepted = await voice.answer(ownerOf(req, res), String(req.params.id), req.file.buffer, turnId);
    res.status(202).json(accepted);
  });

  // A streamed answer: its segments as they are cut (raw WAV bodies), then the end of it.
  router.put(
    '/api/sessions/:id/turns/:turnId/audio/segments/:index',
    express.raw({ type: () => true, limit: voice.limits.maxBytes }),
    async (req, res) => {
      const { id, turnId, index } = audioSegmentParamsSchema.parse(req.params);
      if (!Buffer.isBuffer(req.body) || req.body.length === 0)
        throw badRequest('send the segment as the request body (audio/wav)');
      res.status(202).json(await voice.segment(ownerOf(req, res), id, turnId, index, req.body));
    },
  );

  router.post('/api/sessions/:id/turns/:turnId/audio/finish', async (req, res) => {
    const { id, turnId } = audioSegmentParamsSchema.omit({ index: true }).parse(req.params);
    const { segments } = finishAudioSchema.parse(req.body ?? {});
    res.status(202).json(await voice.finish(ownerOf(req, res), id, turnId, segments));
  });

  router.get('/api/sessions/:id/turns/:turnId/audio', async (req, res) => {
    const rec = await voice.recording(ownerOf(req, res), req.params.id, req.params.turnId);
    res.type(rec.contentType).set('cache-control', 'private, no-store').set('accept-ranges', 'bytes');
    // One byte range, so an <audio> element can seek in the recording.
    const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
    const size = rec.bytes.length;
    if (range && (range[1] || range[2])) {
      const start = range[1] ? Number(range[1]) : Math.max(0, size - Number(range[2]));
      const end = range[1] && range[2] ? Math.min(size - 1, Number(range[2])) : size - 1;
      if (start > end || start >= size) {
        res.status(416).set('content-range', `bytes */${size}`).end();
        return;
      }
      res
        .status(206)
        .set('content-range', `bytes ${start}-${end}/${size}`)
        .send(rec.bytes.subarray(start, end + 1));
      return;
    }
    res.send(rec.bytes);
  });

  router.delete('/api/sessions/:id/turns/:turnId/audio', async (req, res) => {
    await voice.deleteRecording(ownerOf(req, res), req.params.id, req.params.turnId);
    res.status(204).end();
  });

  router.get('/api/tts', async (req, res) => {
    userOf(req, res); // signed-in users only
    const { text, voice: speaker } = ttsQuerySchema.parse(req.query);
    const started = performance.now();
    const speech = await voice.speak(text, speaker);
    res
      .status(200)
      .type(speech.contentType)
      .set('x-tts-cache', speech.cache)
      .set('cache-control', 'private, max-age=86400');
    let first = true;
    // Stop synthesising when the listener goes away (barge-in, the next sentence replacing this one).
    const gone = new AbortController();
    res.on('close', () => gone.abort());
    try {
      for await (const chunk of speech.body) {
        if (gone.signal.aborted) break;
        if (first) {
          first = false;
          res.flushHeaders();
          ttsTimeToFirstByte.observe({ cache: speech.cache }, (performance.now() - started) / 1000);
        }
        if (!res.write(chunk)) await new Promise((r) => res.once('drain', r).once('close', r));
      }
    } catch (err) {
      // Headers (and perhaps audio) are out: a problem+json body is no longer possible. Cut the stream so
      // the client sees a broken download rather than a truncated clip that looks complete.
      if (!res.headersSent) throw err;
      deps.logger.error({ err }, 'speech synthesis failed mid-stream');
      res.destroy();
      return;
    }
    res.end();
  });

  return router;
}
