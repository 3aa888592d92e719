import type { ErrorRequestHandler, RequestHandler, Response } from "express";
import { loggableError, type Logger } from "../logger.js";

/** Every answer is JSON in the GraphQL-over-HTTP shape, whatever failed: never an HTML page, never a stack. */
export function sendError(res: Response, status: number, code: string, message: string): void {
  res.status(status).type("application/json").json({ errors: [{ message, extensions: { code } }] });
}

/** What body-parser and Express report, as the client can act on it. */
const BODY_ERRORS: Record<string, { status: number; message: (limit: number) => string }> = {
  "entity.too.large": { status: 413, message: (limit) => `The request body is larger than the limit of ${limit} bytes (MAX_BODY_BYTES)` },
  "entity.parse.failed": { status: 400, message: () => "The request body is not valid JSON" },
  "charset.unsupported": { status: 415, message: () => "The request body's charset is not supported: send UTF-8" },
  "encoding.unsupported": { status: 415, message: () => "The request body's content-encoding is not supported: send it uncompressed" },
  "request.aborted": { status: 400, message: () => "The request was aborted before its body arrived" },
  "request.size.invalid": { status: 400, message: () => "The request body's size does not match its Content-Length" },
  "stream.encoding.set": { status: 500, message: () => "Internal server error" },
};

/** Errors of the HTTP layer (bodies, routing): a JSON answer that names the problem; anything else is logged and shown bare. */
export function httpErrors(maxBodyBytes: number, logger: Logger): ErrorRequestHandler {
  return (error: { type?: string; status?: number }, req, res, next) => {
    if (res.headersSent) return next(error);
    const known = error.type ? BODY_ERRORS[error.type] : undefined;
    if (known && known.status < 500) return sendError(res, known.status, "BAD_REQUEST", known.message(maxBodyBytes));
    // zlib's own errors (gzip, deflate, br) while decoding a body that says it is compressed.
    if (error.status === 400 && req.headers["content-encoding"]) {
      return sendError(res, 400, "BAD_REQUEST", `The request body is not valid ${req.headers["content-encoding"]} data`);
    }
    logger.error({ err: loggableError(error), requestId: req.id, path: req.path }, "internal error in the HTTP layer");
    sendError(res, 500, "INTERNAL_SERVER_ERROR", "Internal server error");
  };
}

export const notFound: RequestHandler = (req, res) => sendError(res, 404, "NOT_FOUND", `Nothing is served at ${req.method} ${req.path}`);

/**
 * A browser opening /graphql is sent to GraphiQL (when it is served) instead of Apollo's landing
 * page, which loads its code from a CDN.
 */
export function browsersToGraphiql(graphiql: boolean): RequestHandler {
  return (req, res, next) => {
    const wantsPage = req.method === "GET" && req.accepts(["application/json", "application/graphql-response+json", "text/html"]) === "text/html";
    if (!wantsPage) return next();
    if (graphiql) return res.redirect(302, "/graphiql");
    sendError(res, 406, "BAD_REQUEST", "GraphQL answers in JSON: send Accept: application/json");
  };
}

/** A response larger than the limit is replaced by an error naming it, rather than sent. */
export function responseSizeLimit(maxBytes: number): RequestHandler {
  return (_req, res, next) => {
    const send = res.send.bind(res);
    res.send = (body?: unknown) => {
      if ((typeof body === "string" || Buffer.isBuffer(body)) && Buffer.byteLength(body) > maxBytes) {
        res.status(413);
        return send(
          JSON.stringify({
            errors: [{ message: `The response would be larger than the limit of ${maxBytes} bytes (MAX_RESPONSE_BYTES): ask for less`, extensions: { code: "BAD_REQUEST" } }],
          }),
        );
      }
      return send(body);
    };
    next();
  };
}
