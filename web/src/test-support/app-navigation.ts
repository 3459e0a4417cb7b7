// Stand-in for SvelteKit's $app/navigation in component tests: navigations are recorded, not made.
export const navigations: string[] = [];
export async function goto(url: string): Promise<void> {
  navigations.push(url);
}
export async function invalidateAll(): Promise<void> {}
