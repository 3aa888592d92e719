import type { Database } from "../db/client.js";
import { claimFinishedRefreshes } from "../domain/refresh-plan.js";
import type { Logger } from "../logger.js";
import { enqueue } from "./queue.js";

/** Queues the momentum of each day whose refresh is done or past its deadline, once per day. */
export async function scoreFinishedRefreshes(db: Database, logger: Logger): Promise<void> {
  const finished = await db.transaction(async (tx) => {
    const days = await claimFinishedRefreshes(tx);
    for (const { day } of days) await enqueue(tx, "momentum:compute", { day }, { jobKey: `momentum:compute:day:${day}` });
    return days;
  });
  for (const plan of finished) {
    const done = plan.planned - plan.remaining;
    if (plan.atDeadline) logger.warn({ ...plan, done }, "the day's refresh reached its deadline unfinished: its momentum runs on what was refreshed");
    else logger.info({ ...plan, done }, "the day's refresh is done: its momentum runs now");
  }
}
