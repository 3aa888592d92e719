import type { Executor } from "../../src/db/client.js";
import { globalArtists, platformAccounts } from "../../src/db/schema.js";

/** An artist with the live account it was tracked by, written directly, as tracking would leave it. */
export async function insertTrackedArtist(
  executor: Executor,
  account: { platform?: "spotify" | "deezer"; externalId: string; name?: string; simulated?: boolean },
): Promise<{ artistId: string; accountId: string }> {
  const [artist] = await executor.insert(globalArtists).values({ name: account.name ?? account.externalId }).returning();
  const [row] = await executor
    .insert(platformAccounts)
    .values({ artistId: artist!.id, platform: account.platform ?? "spotify", externalId: account.externalId, linkedBy: "tracked", simulated: account.simulated ?? false })
    .returning();
  return { artistId: artist!.id, accountId: row!.id };
}
