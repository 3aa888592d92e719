import type { Task } from "graphile-worker";
import { crossLinkArtist } from "../domain/cross-linking.js";
import { ProviderUnavailableError } from "../providers/provider.js";
import type { JobServices } from "./job-services.js";
import { queueArtistSync, rescheduleRunningJob, type TaskPayloads } from "./queue.js";

/**
 * Looks for an artist's accounts on the other platforms. A service that says when to come back
 * (MusicBrainz's 503 when called too fast, Deezer's quota) gets the job rescheduled for then
 * without spending an attempt; any other failure is retried with graphile-worker's backoff.
 */
export const artistCrossLink =
  ({ db, providers, logger }: JobServices): Task =>
  async (raw, helpers) => {
    const { artistId } = raw as TaskPayloads["artist:cross-link"];
    try {
      const outcome = await crossLinkArtist(db, providers, artistId, providers.inJob(helpers.abortSignal), (tx) => queueArtistSync(tx, artistId));
      logger.info({ artistId, ...outcome }, "looked for the artist's other platform accounts");
      if (outcome.heldElsewhere.length > 0) logger.warn({ artistId, heldElsewhere: outcome.heldElsewhere }, "accounts of this artist belong to another FanPulse artist: the same person may be tracked twice");
    } catch (error) {
      if (!(error instanceof ProviderUnavailableError) || error.retryAfterMs === undefined) throw error;
      const runAt = new Date(Date.now() + error.retryAfterMs);
      await rescheduleRunningJob(db, helpers.job, runAt);
      logger.info({ artistId, runAt, reason: error.message }, "cross-linking rescheduled for when the service said to come back");
    }
  };
