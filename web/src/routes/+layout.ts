// The UI fetches everything client-side from the same-origin API; the server renders the shell.
export const ssr = false;
export const prerender = false;
