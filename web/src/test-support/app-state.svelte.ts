// Stand-in for SvelteKit's $app/state in component tests: a page whose params a test sets.
export const page = $state({ params: {} as Record<string, string> });
