import type { Task } from "graphile-worker";
import { crossLinkArtist } from "../domain/cross-linking.js";
import type { JobServices } from "./job-services.js";
import { queueArtistSync, type TaskPayloads } from "./queue.js";

/** Looks for a newly tracked artist's accounts on the other platforms; a platform that cannot answer fails the job, to be retried. */
export const artistCrossLink =
  ({ db, providers, logger }: JobServices): Task =>
  async (raw, helpers) => {
    const { artistId } = raw as TaskPayloads["artist:cross-link"];
    const outcome = await crossLinkArtist(db, providers, artistId, providers.inJob(helpers.abortSignal), (tx) => queueArtistSync(tx, artistId));
    logger.info({ artistId, outcome }, "looked for the artist's other platform accounts");
  };
