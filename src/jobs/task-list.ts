import type { TaskList } from "graphile-worker";
import { alertsEvaluate } from "./alerts-evaluate.js";
import { artistCrossLink } from "./artist-cross-link.js";
import { artistSync } from "./artist-sync.js";
import { artistsRecheckLinks } from "./artists-recheck-links.js";
import { budgetsSweep } from "./budgets-sweep.js";
import type { JobServices } from "./job-services.js";
import { momentumCompute } from "./momentum-compute.js";
import { momentumScorePastDays } from "./momentum-score-past-days.js";
import type { TaskName } from "./queue.js";
import { refreshAll } from "./refresh-all.js";
import { refreshDeadline } from "./refresh-deadline.js";
import { syncBatch } from "./sync-batch.js";
import { webhooksDeliver } from "./webhooks-deliver.js";

/** Every task the worker runs, keyed by the identifiers of queue.ts: a missing one fails to compile. */
export function createTaskList(services: JobServices): Record<TaskName, TaskList[string]> {
  return {
    "artist:sync": artistSync(services),
    "artist:cross-link": artistCrossLink(services),
    "artists:recheck-links": artistsRecheckLinks(services),
    "budgets:sweep": budgetsSweep(services),
    "metrics:refresh-all": refreshAll(services),
    "metrics:sync-batch": syncBatch(services),
    "metrics:refresh-deadline": refreshDeadline(services),
    "momentum:compute": momentumCompute(services),
    "momentum:score-past-days": momentumScorePastDays(services),
    "alerts:evaluate": alertsEvaluate(services),
    "webhooks:deliver": webhooksDeliver(services),
  };
}
