import type { SecretBox } from "../auth/secret-box.js";
import type { Database } from "../db/client.js";
import type { CrossLinkPolicy } from "../domain/cross-linking.js";
import type { RefreshPolicy } from "../domain/refresh-plan.js";
import type { DeliveryPolicy } from "../domain/webhooks/deliver.js";
import type { Logger } from "../logger.js";
import type { Providers } from "../providers/provider.js";

export type JobServices = { db: Database; providers: Providers; logger: Logger; box: SecretBox; webhookDelivery: DeliveryPolicy; crossLinks: CrossLinkPolicy; refresh: RefreshPolicy };
