// The few parts of oidc-provider (no bundled types) the OIDC sign-in test uses.
declare module 'oidc-provider' {
  import type { RequestListener } from 'node:http';

  interface ClientMetadata {
    client_id: string;
    client_secret: string;
    redirect_uris: string[];
    grant_types?: string[];
    response_types?: string[];
  }
  interface Configuration {
    clients: ClientMetadata[];
    claims?: Record<string, string[]>;
    findAccount: (
      ctx: unknown,
      id: string,
    ) => { accountId: string; claims: () => Record<string, unknown> } | undefined;
    cookies?: { keys: string[] };
  }
  export default class Provider {
    constructor(issuer: string, configuration: Configuration);
    callback(): RequestListener;
  }
}
