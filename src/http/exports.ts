import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import { stringify } from "csv-stringify";
import { Router, type Request, type Response } from "express";
import { admit } from "../auth/authenticate.js";
import { isDatabaseUnavailable } from "../db/deadline.js";
import { DomainError } from "../domain/errors.js";
import { checkSeriesExport, myArtistsForExport, MY_ARTISTS_COLUMNS, personalData, seriesForExport, SERIES_COLUMNS } from "../domain/exports.js";
import type { Services } from "../graphql/context.js";
import { HTTP_STATUS } from "../graphql/errors.js";
import { loggableError } from "../logger.js";
import { sendError } from "./http-errors.js";

/**
 * A spreadsheet runs a cell that starts with = + - @ (or a tab or carriage return before one) as
 * a formula: such text gets a leading apostrophe, which spreadsheets show as text.
 */
export const neutraliseFormula = (value: string) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);

type Handler = (req: Request, res: Response, userId: string) => Promise<void>;

/** Authorised like /graphql (a token or an API key, the same request budgets); errors in the same JSON shape. */
function signedIn(services: Services, handler: Handler) {
  return async (req: Request, res: Response) => {
    try {
      const viewer = await admit(services, req.headers.authorization);
      if (!viewer) return sendError(res, 401, "UNAUTHENTICATED", "Sign in first: send 'Authorization: Bearer <token or API key>'");
      await handler(req, res, viewer.user.id);
    } catch (error) {
      if (res.headersSent) {
        services.logger.error({ err: loggableError(error), requestId: req.id, path: req.path }, "export cut short");
        return void res.destroy();
      }
      if (error instanceof DomainError) {
        if (error.details?.retryAfter) res.setHeader("retry-after", String(error.details.retryAfter));
        return sendError(res, HTTP_STATUS[error.code], error.code, error.message);
      }
      if (isDatabaseUnavailable(error)) return sendError(res, 503, "SERVICE_UNAVAILABLE", "The database is not answering; try again in a few seconds");
      services.logger.error({ err: loggableError(error), requestId: req.id, path: req.path }, "internal error in an export");
      sendError(res, 500, "INTERNAL_SERVER_ERROR", "Internal server error");
    }
  };
}

/** Streams rows as CSV with a header, quoted by the library, formulas neutralised, back-pressure respected. */
async function sendCsv(res: Response, fileName: string, columns: readonly string[], rows: AsyncIterable<object>) {
  res.status(200);
  res.setHeader("content-type", "text/csv; charset=utf-8");
  res.setHeader("content-disposition", `attachment; filename="${fileName}"`);
  res.setHeader("cache-control", "no-store");
  await pipeline(
    Readable.from(rows),
    stringify({ header: true, columns: [...columns], cast: { string: neutraliseFormula, boolean: (value) => (value ? "true" : "false"), date: (value) => value.toISOString() } }),
    res,
  );
}

const fileSafe = (name: string) => name.replace(/[^\p{L}\p{N}]+/gu, "-").replace(/^-|-$/g, "").slice(0, 60) || "artist";
const oneParam = (value: unknown) => (typeof value === "string" ? value : null);

export function exportRoutes(services: Services): Router {
  const router = Router();
  router.get(
    "/export/me.json",
    signedIn(services, async (_req, res, userId) => {
      res.setHeader("content-disposition", 'attachment; filename="fanpulse-me.json"');
      res.setHeader("cache-control", "no-store");
      res.json(await personalData(services.db, userId));
    }),
  );
  router.get(
    "/export/my-artists.csv",
    signedIn(services, (_req, res, userId) => sendCsv(res, "fanpulse-my-artists.csv", MY_ARTISTS_COLUMNS, myArtistsForExport(services.db, userId))),
  );
  router.get(
    "/export/artists/:artistId/series.csv",
    signedIn(services, async (req, res, userId) => {
      for (const name of ["platform", "metric", "from", "to"]) {
        if (Array.isArray(req.query[name])) throw new DomainError("BAD_USER_INPUT", `${name}: give it once`, name);
      }
      const series = await checkSeriesExport(services.db, userId, {
        artistId: String(req.params.artistId),
        platform: oneParam(req.query.platform)?.toUpperCase() ?? "",
        metric: oneParam(req.query.metric)?.toUpperCase() ?? "",
        from: oneParam(req.query.from),
        to: oneParam(req.query.to),
      });
      const fileName = `fanpulse-${fileSafe(series.artistName)}-${series.platform}-${series.metric}.csv`;
      await sendCsv(res, fileName, SERIES_COLUMNS, seriesForExport(services.db, series));
    }),
  );
  return router;
}
