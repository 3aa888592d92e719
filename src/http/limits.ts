import type { ApolloServerPlugin } from "@apollo/server";
import { maxAliasesRule } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import { maxDirectivesRule } from "@escape.tech/graphql-armor-max-directives";
import type { ErrorRequestHandler, RequestHandler } from "express";
import { GraphQLError, type GraphQLSchema, type ValidationContext, type ValidationRule } from "graphql";
import { getComplexity, type ComplexityEstimator } from "graphql-query-complexity";
import { DEFAULT_PAGE_SIZE } from "../domain/pagination.js";

export type RequestLimits = {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
  maxComplexity: number;
  maxBodyBytes: number;
  maxBatch: number;
};

/** Reports a rejection as a validation error (HTTP 400) whose message names the setting. */
const reportAs = (setting: string) => ({
  exposeLimits: true,
  propagateOnRejection: false,
  onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(new GraphQLError(`${error.message.replace(/^Syntax Error: /, "")} (${setting})`))],
});

/** Depth, aliases and directives are checked while validating, before anything runs. */
export function limitRules(limits: RequestLimits): ValidationRule[] {
  return [
    maxDepthRule({ ...reportAs("MAX_QUERY_DEPTH"), n: limits.maxDepth, ignoreIntrospection: true }),
    maxAliasesRule({ ...reportAs("MAX_ALIASES"), n: limits.maxAliases }),
    maxDirectivesRule({ ...reportAs("MAX_DIRECTIVES"), n: limits.maxDirectives }),
  ] as unknown as ValidationRule[];
}

/**
 * Every field costs 1 plus what it contains; a field taking `first` returns up to that many
 * items (20 when left out), so what it contains counts that many times.
 */
const listCost: ComplexityEstimator = ({ field, args, childComplexity }) =>
  field.args.some((a) => a.name === "first") ? 1 + (typeof args.first === "number" ? Math.max(0, args.first) : DEFAULT_PAGE_SIZE) * childComplexity : undefined;

/** Refuses an operation whose estimated cost passes the limit, once its variables are known. */
export function complexityPlugin(schema: GraphQLSchema, maxComplexity: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          const cost = getComplexity({
            schema,
            query: document,
            operationName: request.operationName,
            variables: request.variables,
            estimators: [listCost, ({ childComplexity }) => 1 + childComplexity],
          });
          if (cost > maxComplexity) {
            throw new GraphQLError(`Query complexity limit (MAX_QUERY_COMPLEXITY) of ${maxComplexity} exceeded: this operation costs ${cost}`, {
              extensions: { code: "GRAPHQL_VALIDATION_FAILED", http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}

const requestError = (status: number, message: string) => ({ status, body: { errors: [{ message, extensions: { code: "BAD_REQUEST" } }] } });

/** Batched requests (a JSON array of operations) up to the limit; 1 turns batching off. */
export function batchLimit(maxBatch: number): RequestHandler {
  return (req, res, next) => {
    if (Array.isArray(req.body) && req.body.length > maxBatch) {
      const { status, body } = requestError(
        400,
        maxBatch <= 1 ? "Batched requests are not accepted (MAX_BATCH is 1)" : `A batch holds at most ${maxBatch} operations (MAX_BATCH); this one has ${req.body.length}`,
      );
      res.status(status).json(body);
      return;
    }
    next();
  };
}

/** A body over the size limit or not JSON gets a GraphQL-shaped error, not an HTML page. */
export function bodyErrors(maxBodyBytes: number): ErrorRequestHandler {
  return (error: { type?: string; status?: number }, _req, res, next) => {
    if (error.type === "entity.too.large") {
      const { status, body } = requestError(413, `The request body is larger than the limit of ${maxBodyBytes} bytes (MAX_BODY_BYTES)`);
      res.status(status).json(body);
      return;
    }
    if (error.type === "entity.parse.failed") {
      const { status, body } = requestError(400, "The request body is not valid JSON");
      res.status(status).json(body);
      return;
    }
    next(error);
  };
}
