// Multipart uploads: one file held in memory up to the limit, errors as clear problems.
import multer from 'multer';
import type { RequestHandler } from 'express';
import { HttpError } from './errors.js';

export function receiveFile(maxBytes: number): RequestHandler {
  const parse = multer({
    storage: multer.memoryStorage(),
    // Keep the name as sent, so a name with path separators is refused rather than silently cut.
    preservePath: true,
    limits: { fileSize: maxBytes, files: 1, fields: 5, fieldSize: 1024 },
  }).single('file');
  return (req, res, next) => {
    parse(req, res, (err: unknown) => {
      if (!err) return next();
      if (err instanceof multer.MulterError) {
        if (err.code === 'LIMIT_FILE_SIZE') {
          return next(
            new HttpError(
              413,
              'Payload Too Large',
              `the file is larger than the limit of ${Math.round(maxBytes / 1024 / 1024)} MB`,
            ),
          );
        }
        return next(
          new HttpError(
            400,
            'Bad Request',
            `upload refused: ${err.message}${err.field ? ` (${err.field})` : ''}`,
          ),
        );
      }
      // busboy's own errors: the multipart body itself is broken (e.g. control characters in a part header).
      next(
        new HttpError(
          400,
          'Bad Request',
          `the multipart body is malformed: ${err instanceof Error ? err.message : String(err)}`,
        ),
      );
    });
  };
}
