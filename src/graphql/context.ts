import type { TokenService } from "../auth/tokens.js";
import type { Database } from "../db/client.js";
import { unauthenticated } from "../domain/errors.js";
import type { Logger } from "../logger.js";
import type { Providers } from "../providers/provider.js";
import { createLoaders, type Loaders } from "./loaders.js";

/** What lives as long as the process: shared by every request. */
export type Services = {
  db: Database;
  providers: Providers;
  tokens: TokenService;
  logger: Logger;
};

export type Context = Services & {
  requestId: string;
  viewerId: string | null;
  loaders: Loaders;
};

export async function createContext(services: Services, request: { id: string; authorization: string | undefined }): Promise<Context> {
  const token = /^Bearer\s+(\S+)$/i.exec(request.authorization ?? "")?.[1];
  const viewerId = token ? await services.tokens.verify(token) : null;
  return {
    ...services,
    logger: services.logger.child({ requestId: request.id }),
    requestId: request.id,
    viewerId,
    loaders: createLoaders(services.db, viewerId),
  };
}

/** The signed-in user's id; UNAUTHENTICATED otherwise. */
export function requireViewer(context: Context): string {
  if (!context.viewerId) throw unauthenticated();
  return context.viewerId;
}
