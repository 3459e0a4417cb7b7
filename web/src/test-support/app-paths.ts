// Stand-in for SvelteKit's $app/paths in component tests: a route id with its params filled in.
export function resolve(route: string, params: Record<string, string> = {}): string {
  return route.replace(/\[(\w+)\]/g, (_m, key: string) => encodeURIComponent(params[key] ?? ''));
}
export const base = '';
