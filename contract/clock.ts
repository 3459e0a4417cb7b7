// A mock panel's clock as people read it, shared by the export and the web (zod-free: the browser imports it).

/** 75 -> "1:15": a moment or a length of the interview's clock (speaking time). */
export const clock = (sec: number): string =>
  `${Math.floor(sec / 60)}:${String(Math.round(sec % 60)).padStart(2, '0')}`;
