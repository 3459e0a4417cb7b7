// Chart.js, registered once with just the pieces the Progress charts use, and colours taken
// from the page's CSS variables so the charts follow the light and dark themes.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';

Chart.register(
  LineController,
  LineElement,
  PointElement,
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  Legend,
  Tooltip,
  Filler,
);

export { Chart };

export interface ChartTheme {
  text: string;
  muted: string;
  grid: string;
  surface: string;
  accent: string;
  /** One colour per series (--chart-1 … --chart-5). */
  series: string[];
}

/** Reads the theme colours from CSS custom properties as seen from `el`. */
export function readChartTheme(el: Element): ChartTheme {
  const css = getComputedStyle(el);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    text: v('--text', '#1d1d1f'),
    muted: v('--muted', '#5f6368'),
    grid: v('--border', '#d9d9d6'),
    surface: v('--surface', '#ffffff'),
    accent: v('--accent', '#2457c5'),
    series: [1, 2, 3, 4, 5].map((i) => v(`--chart-${i}`, '#2457c5')),
  };
}

/** Calls `onchange` when the user's light/dark preference flips; returns the unsubscribe. */
export function watchColorScheme(onchange: () => void): () => void {
  if (typeof window === 'undefined' || !window.matchMedia) return () => {};
  const mq = window.matchMedia('(prefers-color-scheme: dark)');
  mq.addEventListener('change', onchange);
  return () => mq.removeEventListener('change', onchange);
}

/** Chart animation, or none when the user asks for reduced motion. */
export function chartAnimation(): false | { duration: number } {
  const reduce =
    typeof window !== 'undefined' && window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
  return reduce ? false : { duration: 300 };
}
